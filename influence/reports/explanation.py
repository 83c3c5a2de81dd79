"""One day's breakdown as a person reads it: whole numbers whose parts add up to the total shown."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from influence import scoring
from influence.core.choices import ActivityKind, Metric, Network
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


# --- the full list of one day (computed on demand) -------------------------------------

# A full list shows this many items per side; the rest are counted (their points are in the sums).
MAX_LISTED_ITEMS = 2_000


@dataclass(frozen=True)
class ListedItem:
    """One scored input of a day: an account's metric or an activity, with its points and share."""

    key: str
    label: str
    group_label: str
    points: float  # the input's points, before the side's weight
    share: float  # its part of the score: score * weighted points / P
    as_of: dt.date | None
    stale: bool


@dataclass
class FullList:
    """Every item of a day (SCORING.md's "full list"), largest first on each side."""

    day: dt.date
    headline: Headline
    online: list[ListedItem]
    offline: list[ListedItem]
    online_points: float  # unweighted sums over every item
    offline_points: float
    online_share: float  # each side's exact part of the score: the sum of its items' parts
    offline_share: float
    online_more: int = 0
    offline_more: int = 0


def _metric_of(key: str) -> str:
    parts = key.split(":")
    return parts[2] if len(parts) == 3 else ""


def full_list(day: scoring.Breakdown) -> FullList:
    """Every account metric and every activity that counts on the day, with its points and its share of
    the score (the shares of both lists add up to the score), from a day scored on demand."""
    metrics, networks, kinds = dict(Metric.choices), dict(Network.choices), dict(ActivityKind.choices)
    online: list[ListedItem] = []
    offline: list[ListedItem] = []
    for item in sorted(day.items, key=lambda i: (-i.points, i.key)):
        if item.side == "online":
            metric = _metric_of(item.key)
            # An account without a label is named after its network ("mastodon: jane"): named as the pages do.
            label = item.label
            if label.startswith(f"{item.group}:") and item.group in networks:
                label = networks[item.group].split(" (")[0] + label[len(item.group):]
            online.append(ListedItem(item.key, f"{label} · {metrics.get(metric, metric).lower()}",
                                     networks.get(item.group, item.group), item.points, day.share_of(item),
                                     item.as_of, item.stale))
        else:
            offline.append(ListedItem(item.key, item.label, kinds.get(item.group, item.group), item.points,
                                      day.share_of(item), item.as_of, False))
    shown = headline(day.total, day.online, day.offline, day.online_points, day.offline_points, day.parameters.k)
    return FullList(
        day=day.day,
        headline=shown,
        online=online[:MAX_LISTED_ITEMS],
        offline=offline[:MAX_LISTED_ITEMS],
        online_points=math.fsum(i.points for i in online),
        offline_points=math.fsum(i.points for i in offline),
        online_share=day.online,
        offline_share=day.offline,
        online_more=max(0, len(online) - MAX_LISTED_ITEMS),
        offline_more=max(0, len(offline) - MAX_LISTED_ITEMS),
    )
