"""The influence score, model v1 (SCORING.md): pure functions, no ORM, no I/O.

Inputs are plain records (ObservationInput, ActivityInput) and Parameters; the
output is a Breakdown whose component shares add up to the total exactly.
`score_day` explains one day with every item; `score_history` (sweep.py) gives
the same days over a range, which is what recomputing a history uses. Both
build their items and breakdowns with the functions of this module.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, NamedTuple

from influence.scoring.parameters import Parameters

TOP_ITEMS = 5
STALE_AFTER_DAYS = 30
STALE_AFTER_DAYS_MANUAL = 90
# Kinds that run from a start date to an optional end date and count fully
# meanwhile. The activity kinds' choices (core.choices) take them from here.
ONGOING_KINDS = frozenset({"teaching", "mentoring", "board"})


# Inputs are named tuples rather than dataclasses: a history reads tens of
# thousands of them, and a tuple is the lightest record to build and keep.
class ObservationInput(NamedTuple):
    account_id: int
    network: str
    metric: str
    day: dt.date
    value: float
    label: str = ""


class ActivityInput(NamedTuple):
    activity_id: int
    kind: str
    date: dt.date
    end_date: dt.date | None = None
    audience: int = 0
    title: str = ""


class Item(NamedTuple):
    """One scored input on one day: an account's metric or an activity."""

    key: str  # "account:<id>:<metric>" or "activity:<id>"
    side: str  # "online" or "offline"
    group: str  # the network or the activity kind
    label: str
    points: float  # before the side's weight
    stale: bool = False
    as_of: dt.date | None = None  # the observation's day, or the activity's date


class ActivityHead(NamedTuple):
    """What names an activity's item; its points change by the day, these do not."""

    key: str
    label: str
    date: dt.date


class KindActivities(NamedTuple):
    """The activities of one kind that count on a day, and their points that day (in the same order)."""

    heads: list[ActivityHead]
    points: list[float]


class Summary(NamedTuple):
    """A breakdown's groups (points, share and count per network and per kind), stale items and latest inputs."""

    networks: dict[str, dict[str, float]]
    kinds: dict[str, dict[str, float]]
    stale: list[Item]
    latest_observation: dt.date | None
    latest_activity: dt.date | None


_points_then_key = attrgetter("points", "key")


@dataclass
class Breakdown:
    """One day's score and what it is made of.

    The activities are kept per kind as heads and points: a history sweeps
    thousands of days, and a snapshot needs only their sums per kind and the
    few largest, so their items are built when `items` is read.
    """

    day: dt.date
    total: float
    online: float  # online's share of total
    offline: float  # offline's share of total; online + offline == total
    online_points: float  # weighted
    offline_points: float  # weighted
    parameters: Parameters
    model_version: str
    online_items: list[Item]
    activities: dict[str, KindActivities]
    latest_activity: dt.date | None

    @property
    def online_only(self) -> float:
        return online_only_score(self.online_points, self.parameters.k)

    @cached_property
    def items(self) -> list[Item]:
        """Every scored input of the day: the online items, then one per activity that counts."""
        items = list(self.online_items)
        for kind, (heads, points) in self.activities.items():
            items += [activity_item(kind, head, p) for head, p in zip(heads, points, strict=True)]
        return items

    def share_of(self, item: Item) -> float:
        """An item's share of the total: total * its weighted points / P."""
        weighted = self.online_points + self.offline_points
        if weighted <= 0:
            return 0.0
        weight = self.parameters.w_online if item.side == "online" else self.parameters.w_offline
        return self.total * weight * item.points / weighted

    def largest(self, top: int = TOP_ITEMS) -> list[Item]:
        """The `top` items with the most points (then the greatest key), building items only for those."""
        # A head starts with its key and keys are unique: these compare on points, then key.
        activities = sorted(
            chain.from_iterable(
                zip(points, heads, repeat(kind), strict=False) for kind, (heads, points) in self.activities.items()
            ),
            reverse=True,
        )[:top]
        candidates = self.online_items + [activity_item(kind, head, p) for p, head, kind in activities]
        return sorted(candidates, key=_points_then_key, reverse=True)[:top]

    def summary(self) -> Summary:
        """Groups of both sides, stale items and the latest input dates.

        A group's share is its exact points sum scaled like an item's, which
        keeps the result independent of the items' order.
        """
        networks: dict[str, list[float]] = {}
        stale: list[Item] = []
        latest_observation: dt.date | None = None
        for item in self.online_items:
            networks.setdefault(item.group, []).append(item.points)
            if item.as_of and (latest_observation is None or item.as_of > latest_observation):
                latest_observation = item.as_of
            if item.stale and item.as_of:
                stale.append(item)
        kinds = {kind: group.points for kind, group in self.activities.items() if group.points}
        return Summary(
            self._groups(networks, self.parameters.w_online),
            self._groups(kinds, self.parameters.w_offline),
            stale,
            latest_observation,
            self.latest_activity,
        )

    def _groups(self, points_by_group: dict[str, list[float]], weight: float) -> dict[str, dict[str, float]]:
        weighted = self.online_points + self.offline_points
        groups = {}
        for group, points in points_by_group.items():
            summed = math.fsum(points)
            share = self.total * weight * summed / weighted if weighted > 0 else 0.0
            groups[group] = {"points": summed, "share": share, "count": len(points)}
        return groups

    def to_json(self, top: int = TOP_ITEMS) -> dict[str, Any]:
        """What a ScoreSnapshot stores: enough to explain the day without recomputing it."""
        summary = self.summary()
        params = self.parameters
        return {
            "model_version": self.model_version,
            "day": self.day.isoformat(),
            "total": self.total,
            "online": self.online,
            "offline": self.offline,
            "online_points": self.online_points,
            "offline_points": self.offline_points,
            "online_only": self.online_only,
            "parameters": {"w_online": params.w_online, "w_offline": params.w_offline, "k": params.k},
            "networks": _rounded_groups(summary.networks),
            "kinds": _rounded_groups(summary.kinds),
            "top_items": [
                {"key": i.key, "side": i.side, "group": i.group, "label": i.label,
                 "points": round(i.points, 4), "share": round(self.share_of(i), 4)}
                for i in self.largest(top)
            ],
            "stale": sorted(
                ({"key": i.key, "label": i.label, "as_of": i.as_of.isoformat()} for i in summary.stale if i.as_of),
                key=_by_key,
            ),
            "inputs": {
                "latest_observation": _iso(summary.latest_observation),
                "latest_activity": _iso(summary.latest_activity),
            },
        }


def _by_key(entry: dict[str, Any]) -> str:
    return entry["key"]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _rounded_groups(groups: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {
        name: {"points": round(v["points"], 4), "share": round(v["share"], 4), "count": int(v["count"])}
        for name, v in sorted(groups.items())
    }


# --- the formulas -----------------------------------------------------------------


def online_weight(params: Parameters, network: str, metric: str) -> float:
    """W of a network's metric; 0 for a metric the model does not count."""
    return params.weights.get(f"{network}.{metric}", 0.0)


def online_points(weight: float, value: float) -> float:
    """W * log10(1 + value); a negative value (negative karma) counts as 0."""
    return weight * math.log10(1 + max(value, 0))


def audience_size(audience: int | float) -> float:
    """S(a) = 1 + 0.5 * log10(1 + a / 10): 1 when unknown, about 2 at 1,000 people."""
    return 1 + 0.5 * math.log10(1 + max(audience, 0) / 10)


def activity_base(kind: str, audience: int, params: Parameters) -> float:
    """B_kind * S(a): an activity's points while it counts fully."""
    return params.bases.get(kind, 0.0) * audience_size(audience)


def activity_age(kind: str, date: dt.date, end_date: dt.date | None, day: dt.date) -> int | None:
    """Days since the activity counted fully, or None when it is dated after `day`.

    Ongoing kinds count fully from their start until their end date (forever
    without one), and age from the end date after it.
    """
    if date > day:
        return None
    if kind in ONGOING_KINDS:
        if end_date is None or end_date >= day:
            return 0
        return (day - end_date).days
    return (day - date).days


def decay(age_days: int, half_life: float) -> float:
    """D = 0.5 ** (age / H); a half-life of 0 counts on the day only."""
    if half_life <= 0:
        return 1.0 if age_days == 0 else 0.0
    return 0.5 ** (age_days / half_life)


def activity_points(base: float, decay_factor: float) -> float:
    """B_kind * S(a) * D(age): the activity's base (activity_base) decayed to the day."""
    return base * decay_factor


def saturate(weighted_points: float, k: float) -> float:
    """score = 100 * (1 - exp(-P / K)), in [0, 100]."""
    if weighted_points <= 0:
        return 0.0
    return 100 * (1 - math.exp(-weighted_points / k))


def online_only_score(weighted_online_points: float, k: float) -> float:
    """What a score that ignored offline influence would have said."""
    return saturate(weighted_online_points, k)


def stale_after(network: str) -> int:
    """Days an observation of the network stays current; hand-entered counts are updated less often."""
    return STALE_AFTER_DAYS_MANUAL if network == "manual" else STALE_AFTER_DAYS


def is_stale(network: str, observed_on: dt.date, day: dt.date) -> bool:
    return (day - observed_on).days > stale_after(network)


# --- evaluating days --------------------------------------------------------------
# score_day and score_history both build their items and breakdowns with these,
# so that a day swept in a history is bit for bit the day explained on its own.


def online_item(obs: ObservationInput, weight: float, stale: bool) -> Item:
    return Item(
        f"account:{obs.account_id}:{obs.metric}",
        "online",
        obs.network,
        obs.label or f"{obs.network} {obs.metric}",
        online_points(weight, obs.value),
        stale,
        obs.day,
    )


def activity_head(act: ActivityInput) -> ActivityHead:
    return ActivityHead(f"activity:{act.activity_id}", act.title or act.kind, act.date)


def activity_item(kind: str, head: ActivityHead, points: float) -> Item:
    return Item(head.key, "offline", kind, head.label, points, False, head.date)


def breakdown(
    day: dt.date,
    params: Parameters,
    online_items: list[Item],
    activities: dict[str, KindActivities],
    latest_activity: dt.date | None,
) -> Breakdown:
    """The score of a day's items.

    Each side's points are summed with math.fsum, which is exact, hence
    independent of the order the items came in.
    """
    p_online = math.fsum([item.points for item in online_items])
    p_offline = math.fsum(chain.from_iterable(group.points for group in activities.values()))
    weighted_online = params.w_online * p_online
    weighted_offline = params.w_offline * p_offline
    weighted = weighted_online + weighted_offline
    total = saturate(weighted, params.k)
    online = total * weighted_online / weighted if weighted > 0 else 0.0
    return Breakdown(
        day=day,
        total=total,
        online=online,
        offline=total - online,
        online_points=weighted_online,
        offline_points=weighted_offline,
        parameters=params,
        model_version=params.version,
        online_items=online_items,
        activities=activities,
        latest_activity=latest_activity,
    )


def score_day(
    observations: Iterable[ObservationInput],
    activities: Iterable[ActivityInput],
    params: Parameters,
    day: dt.date,
) -> Breakdown:
    """The breakdown of one day, from inputs dated on or before it (later ones are ignored)."""
    latest: dict[tuple[int, str], ObservationInput] = {}
    for obs in sorted((o for o in observations if o.day <= day), key=attrgetter("day")):
        latest[(obs.account_id, obs.metric)] = obs
    online_items = []
    for obs in latest.values():
        weight = online_weight(params, obs.network, obs.metric)
        if weight > 0:
            online_items.append(online_item(obs, weight, is_stale(obs.network, obs.day, day)))
    counted: dict[str, KindActivities] = {}
    latest_activity: dt.date | None = None
    for act in activities:
        age = activity_age(act.kind, act.date, act.end_date, day)
        if age is None:
            continue
        group = counted.setdefault(act.kind, KindActivities([], []))
        group.heads.append(activity_head(act))
        half_life = params.half_lives.get(act.kind, 0.0)
        group.points.append(activity_points(activity_base(act.kind, act.audience, params), decay(age, half_life)))
        if latest_activity is None or act.date > latest_activity:
            latest_activity = act.date
    return breakdown(day, params, online_items, counted, latest_activity)
