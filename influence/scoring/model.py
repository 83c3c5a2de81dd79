"""The influence score, model v1 (SCORING.md): pure functions, no ORM, no I/O.

Inputs are plain records (ObservationInput, ActivityInput) and Parameters; the
output is a Breakdown whose component shares add up to the total exactly.
`score_day` explains one day with every item; `score_history` sweeps a range of
days over inputs read once, which is what recomputing a history uses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from influence.scoring.parameters import Parameters

TOP_ITEMS = 5
STALE_AFTER_DAYS = 30
STALE_AFTER_DAYS_MANUAL = 90
ONGOING_KINDS = frozenset({"teaching", "mentoring", "board"})


# Inputs are named tuples rather than dataclasses: a history reads tens of
# thousands of them, and a tuple is several times cheaper to build.
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


@dataclass
class Breakdown:
    day: dt.date
    total: float
    online: float  # online's share of total
    offline: float  # offline's share of total; online + offline == total
    online_points: float  # weighted
    offline_points: float  # weighted
    items: list[Item]
    parameters: Parameters
    model_version: str

    @property
    def online_only(self) -> float:
        return online_only_score(self.online_points, self.parameters.k)

    def share_of(self, item: Item) -> float:
        """An item's share of the total: total * its weighted points / P."""
        weighted = self.online_points + self.offline_points
        if weighted <= 0:
            return 0.0
        weight = self.parameters.w_online if item.side == "online" else self.parameters.w_offline
        return self.total * weight * item.points / weighted

    def groups(self, side: str) -> dict[str, dict[str, float]]:
        """Points, share and count per network (online) or per activity kind (offline)."""
        return self._summary()[0 if side == "online" else 1]

    def _summary(self) -> tuple[dict, dict, list[Item], dt.date | None, dt.date | None]:
        """Groups of both sides, stale items and the latest input dates, in one pass over the items.

        A group's share is its exact points sum scaled like an item's, which
        keeps the result independent of the items' order.
        """
        online: dict[str, list[float]] = {}
        offline: dict[str, list[float]] = {}
        stale: list[Item] = []
        latest_observation = latest_activity = None
        for item in self.items:
            _key, side, group, _label, points, is_stale, as_of = item
            if side == "online":
                entry = online.get(group)
                if as_of and (latest_observation is None or as_of > latest_observation):
                    latest_observation = as_of
                if is_stale and as_of:
                    stale.append(item)
            else:
                entry = offline.get(group)
                if as_of and (latest_activity is None or as_of > latest_activity):
                    latest_activity = as_of
            if entry is None:
                (online if side == "online" else offline)[group] = [points]
            else:
                entry.append(points)
        weighted = self.online_points + self.offline_points
        params = self.parameters
        result = []
        for collected, weight in ((online, params.w_online), (offline, params.w_offline)):
            groups = {}
            for group, points in collected.items():
                summed = math.fsum(points)
                share = self.total * weight * summed / weighted if weighted > 0 else 0.0
                groups[group] = {"points": summed, "share": share, "count": len(points)}
            result.append(groups)
        return result[0], result[1], stale, latest_observation, latest_activity

    def _largest(self, top: int) -> list[Item]:
        # sorted() is what heapq.nlargest is defined as, and runs in C.
        return sorted(self.items, key=_points_then_key, reverse=True)[:top]

    def to_json(self, top: int = TOP_ITEMS) -> dict[str, Any]:
        """What a ScoreSnapshot stores: enough to explain the day without recomputing it."""
        largest = self._largest(top)
        networks, kinds, stale, latest_observation, latest_activity = self._summary()
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
            "networks": _rounded_groups(networks),
            "kinds": _rounded_groups(kinds),
            "top_items": [
                {"key": i.key, "side": i.side, "group": i.group, "label": i.label,
                 "points": round(i.points, 4), "share": round(self.share_of(i), 4)}
                for i in largest
            ],
            "stale": sorted(
                ({"key": i.key, "label": i.label, "as_of": i.as_of.isoformat()} for i in stale), key=_by_key
            ),
            "inputs": {
                "latest_observation": latest_observation.isoformat() if latest_observation else None,
                "latest_activity": latest_activity.isoformat() if latest_activity else None,
            },
        }


_points_then_key = attrgetter("points", "key")


def _by_key(entry: dict[str, Any]) -> str:
    return entry["key"]


def _rounded_groups(groups: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {
        name: {"points": round(v["points"], 4), "share": round(v["share"], 4), "count": int(v["count"])}
        for name, v in sorted(groups.items())
    }


# --- the formulas -----------------------------------------------------------------


def online_points(weight: float, value: float) -> float:
    """W * log10(1 + value); a negative value (negative karma) counts as 0."""
    return weight * math.log10(1 + max(value, 0))


def audience_size(audience: int | float) -> float:
    """S(a) = 1 + 0.5 * log10(1 + a / 10): 1 when unknown, about 2 at 1,000 people."""
    return 1 + 0.5 * math.log10(1 + max(audience, 0) / 10)


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


def saturate(weighted_points: float, k: float) -> float:
    """score = 100 * (1 - exp(-P / K)), in [0, 100]."""
    if weighted_points <= 0:
        return 0.0
    return 100 * (1 - math.exp(-weighted_points / k))


def online_only_score(weighted_online_points: float, k: float) -> float:
    """What a score that ignored offline influence would have said."""
    return saturate(weighted_online_points, k)


def is_stale(network: str, observed_on: dt.date, day: dt.date) -> bool:
    limit = STALE_AFTER_DAYS_MANUAL if network == "manual" else STALE_AFTER_DAYS
    return (day - observed_on).days > limit


# --- evaluating days --------------------------------------------------------------
# score_day and score_history share these helpers so that a day swept in a
# history is bit for bit the day explained on its own. Sums use math.fsum: it is
# exact, hence independent of the order the inputs came in.


def _activity_points(base_size: float, age: int, half_life: float) -> float:
    # score_history computes the same expression with decay() looked up in a table.
    return base_size * decay(age, half_life)


def _breakdown(
    day: dt.date, items: list[Item], params: Parameters, p_online: float | None = None,
    p_offline: float | None = None, cls: type[Breakdown] | None = None,
) -> Breakdown:
    """The score of a day's items; a sweep that already knows each side's exact sum passes it."""
    if p_online is None or p_offline is None:
        p_online = math.fsum([i.points for i in items if i.side == "online"])
        p_offline = math.fsum([i.points for i in items if i.side == "offline"])
    weighted_online = params.w_online * p_online
    weighted_offline = params.w_offline * p_offline
    weighted = weighted_online + weighted_offline
    total = saturate(weighted, params.k)
    online = total * weighted_online / weighted if weighted > 0 else 0.0
    return (cls or Breakdown)(
        day=day,
        total=total,
        online=online,
        offline=total - online,
        online_points=weighted_online,
        offline_points=weighted_offline,
        items=items,
        parameters=params,
        model_version=params.version,
    )


def _online_item(obs: ObservationInput, weight: float, stale: bool) -> Item:
    return Item(
        f"account:{obs.account_id}:{obs.metric}",
        "online",
        obs.network,
        obs.label or f"{obs.network} {obs.metric}",
        online_points(weight, obs.value),
        stale,
        obs.day,
    )


def _online_items(latest: Mapping[tuple[int, str], ObservationInput], params: Parameters, day: dt.date) -> list[Item]:
    items = []
    for obs in latest.values():
        weight = params.weights.get(f"{obs.network}.{obs.metric}", 0.0)
        if weight > 0:
            items.append(_online_item(obs, weight, is_stale(obs.network, obs.day, day)))
    return items


def _offline_items(activities: Iterable[ActivityInput], params: Parameters, day: dt.date) -> list[Item]:
    items = []
    for act in activities:
        age = activity_age(act.kind, act.date, act.end_date, day)
        if age is None:
            continue
        base_size = params.bases.get(act.kind, 0.0) * audience_size(act.audience)
        points = _activity_points(base_size, age, params.half_lives.get(act.kind, 0.0))
        items.append(Item(f"activity:{act.activity_id}", "offline", act.kind, act.title or act.kind, points,
                          False, act.date))
    return items


def score_day(
    observations: Iterable[ObservationInput],
    activities: Iterable[ActivityInput],
    params: Parameters,
    day: dt.date,
) -> Breakdown:
    """The breakdown of one day, from inputs dated on or before it (later ones are ignored)."""
    latest: dict[tuple[int, str], ObservationInput] = {}
    for obs in sorted((o for o in observations if o.day <= day), key=_by_day):
        latest[(obs.account_id, obs.metric)] = obs
    items = _online_items(latest, params, day) + _offline_items(activities, params, day)
    return _breakdown(day, items, params)


_by_day = attrgetter("day")
_new_tuple = tuple.__new__
_by_date = attrgetter("date")
