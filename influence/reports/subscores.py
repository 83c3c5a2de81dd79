"""The two sub-scores of a stored day (SCORING.md, "Sub-scores and display").

Online = 100 * (1 - exp(-w_online * P_online / K)), Offline the same with the
offline side. A snapshot stores each side's points already weighted, so each
sub-score is the saturation of its stored points with the K in force; nothing
new is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from influence import scoring


@dataclass(frozen=True)
class SubScores:
    online: float
    offline: float


def sub_scores(online_points: float, offline_points: float, params: scoring.Parameters) -> SubScores:
    """Online and offline sub-scores from a snapshot's weighted points, each on 0-100."""
    # The online-only score is the saturation curve itself: applied to either side's weighted points.
    return SubScores(
        online=scoring.online_only_score(online_points, params.k),
        offline=scoring.online_only_score(offline_points, params.k),
    )
