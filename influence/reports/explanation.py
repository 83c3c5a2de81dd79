"""One day's breakdown as a person reads it: whole numbers whose parts add up to the total shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from influence import scoring
from influence.core.choices import ActivityKind, Network
from influence.reports.summaries import shown


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
    day: dt.date
    total: int
    online: int
    offline: int
    online_only: int
    networks: list[Part]
    kinds: list[Part]
    stale: list[dict[str, str]]

    @property
    def sentence(self) -> str:
        return f"{self.total} = online {self.online} + offline {self.offline}"


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


def explain(breakdown: Mapping[str, Any], networks_of_accounts: Mapping[int, str]) -> Explanation:
    """The breakdown shown as whole numbers: the two sides add up to the total, and each
    side's networks or kinds add up to that side (largest remainder at each level)."""
    total, sides = scoring.display_parts(
        float(breakdown["total"]), {"online": float(breakdown["online"]), "offline": float(breakdown["offline"])}
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
        total=total,
        online=sides["online"],
        offline=sides["offline"],
        online_only=shown(float(breakdown.get("online_only", 0.0))),
        networks=_parts("online", sides["online"], breakdown.get("networks", {}), dict(Network.choices),
                        stale_networks),
        kinds=_parts("offline", sides["offline"], breakdown.get("kinds", {}), dict(ActivityKind.choices), set()),
        stale=stale,
    )


def group_label(side: str, group: str) -> str:
    labels = dict(Network.choices) if side == "online" else dict(ActivityKind.choices)
    return labels.get(group, group)
