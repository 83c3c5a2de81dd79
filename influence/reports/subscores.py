"""The two sub-scores of a stored day (SCORING.md, "Sub-scores and display").

Online = 100 * (1 - exp(-w_online * P_online / K)), Offline the same with the
offline side. A snapshot stores each side's points already weighted, so each
sub-score is the saturation of its stored points with the K in force; nothing
new is stored.

Two meanings of "online" meet here and keep their names apart: a side's
*share* (its part of the score; the two shares add up to the score) and a
side's *score* (the sub-score, on its own 0-100 scale).
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
    return sub_scores_with_k(online_points, offline_points, params.k)


def sub_scores_with_k(online_points: float, offline_points: float, k: float) -> SubScores:
    """sub_scores with only K known (a list of subjects from several workspaces)."""
    # The online-only score is the saturation curve itself: applied to either side's weighted points.
    return SubScores(
        online=scoring.online_only_score(online_points, k),
        offline=scoring.online_only_score(offline_points, k),
    )


@dataclass(frozen=True)
class Headline:
    """A day's figures as shown: the score, its two sub-scores, and its two shares (whole numbers).

    The score and each sub-score are rounded on their own (they are independent
    numbers); the shares are rounded so that they add up to the score shown.
    """

    total: int
    online_score: int
    offline_score: int
    online_share: int
    offline_share: int

    @property
    def sentence(self) -> str:
        """The headline: "28 · Online 16 · Offline 14"."""
        return f"{self.total} · Online {self.online_score} · Offline {self.offline_score}"

    @property
    def contributions(self) -> str:
        """The exact parts of the score: "28 = 15 from online + 13 from offline"."""
        return f"{self.total} = {self.online_share} from online + {self.offline_share} from offline"

    @property
    def plain(self) -> str:
        """Why the sub-scores do not add up to the score, in one plain sentence."""
        return (
            f"Online ({self.online_score}) and Offline ({self.offline_score}) each score one side alone; the score "
            f"counts both sides' points together on a curve that flattens as points add up, so its {self.total} is "
            f"{self.online_share} from online and {self.offline_share} from offline."
        )


def headline(
    total: float, online_share: float, offline_share: float, online_points: float, offline_points: float, k: float
) -> Headline:
    """A stored day's headline figures (a snapshot's columns, or its breakdown's same-named values)."""
    shown_total, shares = scoring.display_parts(total, {"online": online_share, "offline": offline_share})
    scores = sub_scores_with_k(online_points, offline_points, k)
    return Headline(
        total=shown_total,
        online_score=shown(scores.online),
        offline_score=shown(scores.offline),
        online_share=shares["online"],
        offline_share=shares["offline"],
    )


def shown(value: float) -> int:
    """The whole number a score is shown as (display_parts' rounding of a total)."""
    return scoring.display_parts(value, {})[0]
