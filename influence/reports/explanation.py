"""One day's breakdown as a person reads it: whole numbers whose parts add up to the total shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from influence import scoring
from influence.core.choices import ActivityKind, Network
from influence.reports.subscores import Headline, headline


@dataclass
class Part:
    side: str
    group: str
    label: str
    shown: int
    share: float
    points: float
    count: int
    stale: bool = False


@dataclass
class Explanation:
    """A day as shown: the score with its sub-scores (`headline`), and its shares per side, network and kind."""

    day: dt.date
    headline: Headline
    networks: list[Part]
    kinds: list[Part]
    stale: list[dict[str, str]]

    @property
    def total(self) -> int:
        return self.headline.total

    @property
    def online_share(self) -> int:
        return self.headline.online_share

    @property
    def offline_share(self) -> int:
        return self.headline.offline_share

    @property
    def online_score(self) -> int:
        return self.headline.online_score

    @property
    def offline_score(self) -> int:
        return self.headline.offline_score

    @property
    def sentence(self) -> str:
        """The exact parts: "28 = 15 from online + 13 from offline"."""
        return self.headline.contributions


def _parts(side: str, shown_side: int, groups: Mapping[str, Mapping[str, Any]], labels: Mapping[str, str],
           stale_groups: set[str]) -> list[Part]:
    """Whole-number shares of one side that add up to that side's shown figure."""
    _, whole = scoring.display_parts(float(shown_side), {g: float(v["share"]) for g, v in groups.items()})
    parts = [
        Part(side, g, labels.get(g, g), whole[g], float(v["share"]), float(v["points"]), int(v["count"]),
             g in stale_groups)
        for g, v in groups.items()
    ]
    return sorted(parts, key=lambda p: (-p.share, p.group))


def explain(breakdown: Mapping[str, Any], networks_of_accounts: Mapping[int, str], k: float) -> Explanation:
    """The breakdown shown as whole numbers: the two sides' shares add up to the total, and each
    side's networks or kinds add up to that side's share (largest remainder at each level); the
    sub-scores come from the stored points and the K in force (`k`)."""
    shown = headline(
        float(breakdown["total"]), float(breakdown["online"]), float(breakdown["offline"]),
        float(breakdown.get("online_points", 0.0)), float(breakdown.get("offline_points", 0.0)), k,
    )
    stale = list(breakdown.get("stale", []))
    stale_networks = set()
    for item in stale:
        parts = item.get("key", "").split(":")
        if len(parts) >= 2 and parts[0] == "account" and parts[1].isdigit():
            network = networks_of_accounts.get(int(parts[1]))
            if network:
                stale_networks.add(network)
    return Explanation(
        day=dt.date.fromisoformat(breakdown["day"]),
        headline=shown,
        networks=_parts("online", shown.online_share, breakdown.get("networks", {}), dict(Network.choices),
                        stale_networks),
        kinds=_parts("offline", shown.offline_share, breakdown.get("kinds", {}), dict(ActivityKind.choices), set()),
        stale=stale,
    )


def group_label(side: str, group: str) -> str:
    labels = dict(Network.choices) if side == "online" else dict(ActivityKind.choices)
    return labels.get(group, group)
