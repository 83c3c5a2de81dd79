"""The influence score, model v1 (SCORING.md): pure functions, no ORM, no I/O.

Inputs are plain records (ObservationInput, ActivityInput) and Parameters; the
output is a Breakdown whose component shares add up to the total exactly.
`score_day` explains one day with every item; `score_history` sweeps a range of
days over inputs read once, which is what recomputing a history uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

MODEL = "v1"
TOP_ITEMS = 5
STALE_AFTER_DAYS = 30
STALE_AFTER_DAYS_MANUAL = 90
ONGOING_KINDS = frozenset({"teaching", "mentoring", "board"})

# W[network.metric]; metrics not listed are stored and charted but score nothing.
DEFAULT_WEIGHTS: dict[str, float] = {
    "mastodon.followers": 2.0,
    "mastodon.engagements_30d": 2.0,
    "bluesky.followers": 2.0,
    "bluesky.engagements_30d": 2.0,
    "github.followers": 1.5,
    "github.stars": 1.5,
    "youtube.subscribers": 2.0,
    "youtube.views": 1.0,
    "stackexchange.reputation": 1.5,
    "hackernews.karma": 1.0,
    "reddit.karma": 0.5,
    "openalex.citations": 2.0,
    "wikipedia.pageviews_30d": 2.0,
    "rss.posts_90d": 1.0,
    "manual.followers": 2.0,
}

# B[kind] (base points) and H[kind] (half-life in days).
DEFAULT_BASES: dict[str, float] = {
    "keynote": 6, "talk": 4, "workshop": 3, "panel": 2.5, "book": 15, "article": 2, "teaching": 5,
    "media": 3, "award": 6, "referral": 2, "mentoring": 1.5, "board": 5, "event": 4, "other": 1,
}
DEFAULT_HALF_LIVES: dict[str, float] = {
    "keynote": 365, "talk": 365, "workshop": 365, "panel": 365, "book": 1095, "article": 365,
    "teaching": 730, "media": 180, "award": 730, "referral": 365, "mentoring": 365, "board": 730,
    "event": 365, "other": 180,
}


class ParameterError(ValueError):
    """Parameters the model cannot use (K not above 0, a negative weight ...)."""


@dataclass(frozen=True)
class Parameters:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bases: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_BASES))
    half_lives: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HALF_LIVES))
    w_online: float = 1.0
    w_offline: float = 1.0
    k: float = 60.0

    def __post_init__(self):
        if not self.k > 0:
            raise ParameterError("K must be above 0.")
        for name, table in (("weight", self.weights), ("base", self.bases), ("half-life", self.half_lives)):
            for key, value in table.items():
                if value < 0:
                    raise ParameterError(f"The {name} of {key} cannot be negative.")
        if self.w_online < 0 or self.w_offline < 0:
            raise ParameterError("The online and offline weights cannot be negative.")

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> Parameters:
        """The defaults with a workspace's overrides (the shape `to_dict` gives) laid over them."""
        overrides = overrides or {}
        return cls(
            weights={**DEFAULT_WEIGHTS, **overrides.get("weights", {})},
            bases={**DEFAULT_BASES, **overrides.get("bases", {})},
            half_lives={**DEFAULT_HALF_LIVES, **overrides.get("half_lives", {})},
            w_online=float(overrides.get("w_online", 1.0)),
            w_offline=float(overrides.get("w_offline", 1.0)),
            k=float(overrides.get("k", 60.0)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {k: float(v) for k, v in sorted(self.weights.items())},
            "bases": {k: float(v) for k, v in sorted(self.bases.items())},
            "half_lives": {k: float(v) for k, v in sorted(self.half_lives.items())},
            "w_online": float(self.w_online),
            "w_offline": float(self.w_offline),
            "k": float(self.k),
        }

    @property
    def version(self) -> str:
        """Names the parameters: the same parameters always give the same version."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return f"{MODEL}-{hashlib.sha256(canonical.encode()).hexdigest()[:7]}"


@dataclass(frozen=True)
class ObservationInput:
    account_id: int
    network: str
    metric: str
    day: dt.date
    value: float
    label: str = ""


@dataclass(frozen=True)
class ActivityInput:
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
        result: dict[str, dict[str, float]] = {}
        for item in self.items:
            if item.side != side:
                continue
            entry = result.setdefault(item.group, {"points": 0.0, "share": 0.0, "count": 0})
            entry["points"] += item.points
            entry["share"] += self.share_of(item)
            entry["count"] += 1
        return result

    def to_json(self, top: int = TOP_ITEMS) -> dict[str, Any]:
        """What a ScoreSnapshot stores: enough to explain the day without recomputing it."""
        largest = heapq.nlargest(top, self.items, key=lambda item: (item.points, item.key))
        observed = [item.as_of for item in self.items if item.side == "online" and item.as_of]
        dated = [item.as_of for item in self.items if item.side == "offline" and item.as_of]
        return {
            "model_version": self.model_version,
            "day": self.day.isoformat(),
            "total": self.total,
            "online": self.online,
            "offline": self.offline,
            "online_points": self.online_points,
            "offline_points": self.offline_points,
            "online_only": self.online_only,
            "parameters": {"w_online": self.parameters.w_online, "w_offline": self.parameters.w_offline,
                           "k": self.parameters.k},
            "networks": _rounded_groups(self.groups("online")),
            "kinds": _rounded_groups(self.groups("offline")),
            "top_items": [
                {"key": i.key, "side": i.side, "group": i.group, "label": i.label,
                 "points": round(i.points, 4), "share": round(self.share_of(i), 4)}
                for i in largest
            ],
            "stale": [
                {"key": i.key, "label": i.label, "as_of": i.as_of.isoformat()}
                for i in self.items if i.stale and i.as_of
            ],
            "inputs": {
                "latest_observation": max(observed).isoformat() if observed else None,
                "latest_activity": max(dated).isoformat() if dated else None,
            },
        }


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


def _breakdown(day: dt.date, items: list[Item], params: Parameters) -> Breakdown:
    p_online = sum(i.points for i in items if i.side == "online")
    p_offline = sum(i.points for i in items if i.side == "offline")
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
        items=items,
        parameters=params,
        model_version=params.version,
    )


def _online_items(latest: Mapping[tuple[int, str], ObservationInput], params: Parameters, day: dt.date) -> list[Item]:
    items = []
    for obs in latest.values():
        weight = params.weights.get(f"{obs.network}.{obs.metric}", 0.0)
        if weight <= 0:
            continue
        items.append(
            Item(
                key=f"account:{obs.account_id}:{obs.metric}",
                side="online",
                group=obs.network,
                label=obs.label or f"{obs.network} {obs.metric}",
                points=online_points(weight, obs.value),
                stale=is_stale(obs.network, obs.day, day),
                as_of=obs.day,
            )
        )
    return items


def _offline_items(activities: Iterable[ActivityInput], params: Parameters, day: dt.date) -> list[Item]:
    items = []
    for act in activities:
        age = activity_age(act.kind, act.date, act.end_date, day)
        if age is None:
            continue
        points = (
            params.bases.get(act.kind, 0.0)
            * audience_size(act.audience)
            * decay(age, params.half_lives.get(act.kind, 0.0))
        )
        items.append(Item(f"activity:{act.activity_id}", "offline", act.kind, act.title or act.kind, points,
                          as_of=act.date))
    return items


def score_day(
    observations: Iterable[ObservationInput],
    activities: Iterable[ActivityInput],
    params: Parameters,
    day: dt.date,
) -> Breakdown:
    """The breakdown of one day, from inputs dated on or before it (later ones are ignored)."""
    latest: dict[tuple[int, str], ObservationInput] = {}
    for obs in sorted((o for o in observations if o.day <= day), key=lambda o: o.day):
        latest[(obs.account_id, obs.metric)] = obs
    items = _online_items(latest, params, day) + _offline_items(activities, params, day)
    return _breakdown(day, items, params)


def score_history(
    observations: Iterable[ObservationInput],
    activities: Iterable[ActivityInput],
    params: Parameters,
    first_day: dt.date,
    last_day: dt.date,
) -> Iterator[Breakdown]:
    """The breakdown of every day from first_day to last_day, reading the inputs once.

    Gives the same breakdowns as score_day for each day: observations are
    swept in date order, keeping the latest value of each account's metric.
    """
    ordered = sorted(observations, key=lambda o: o.day)
    acts = sorted(activities, key=lambda a: a.date)
    latest: dict[tuple[int, str], ObservationInput] = {}
    next_obs = 0
    next_act = 0
    started: list[ActivityInput] = []
    day = first_day
    one_day = dt.timedelta(days=1)
    while day <= last_day:
        while next_obs < len(ordered) and ordered[next_obs].day <= day:
            obs = ordered[next_obs]
            latest[(obs.account_id, obs.metric)] = obs
            next_obs += 1
        while next_act < len(acts) and acts[next_act].date <= day:
            started.append(acts[next_act])
            next_act += 1
        items = _online_items(latest, params, day) + _offline_items(started, params, day)
        yield _breakdown(day, items, params)
        day += one_day


# --- explaining -------------------------------------------------------------------


def display_parts(total: float, parts: Mapping[str, float]) -> tuple[int, dict[str, int]]:
    """Whole numbers that add up: round the total, floor the parts, and give the
    leftover units to the parts with the largest remainders (SCORING.md)."""
    shown_total = math.floor(total + 0.5)
    floors = {name: math.floor(value) for name, value in parts.items()}
    leftover = shown_total - sum(floors.values())
    by_remainder = sorted(parts, key=lambda name: (parts[name] - floors[name], parts[name]), reverse=True)
    for name in by_remainder[: max(leftover, 0)]:
        floors[name] += 1
    return shown_total, floors


class Movement(NamedTuple):
    """How one component (a network or an activity kind) moved between two days."""

    side: str
    group: str
    points_before: float
    points_after: float
    share_before: float
    share_after: float

    @property
    def change(self) -> float:
        return self.share_after - self.share_before


def what_changed(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, limit: int | None = None
) -> list[Movement]:
    """The components that moved the score most between two stored breakdowns (to_json's shape).

    Sorted by the size of the change in share, largest first; components that
    did not move are left out.
    """
    before = before or {}
    after = after or {}
    movements = []
    for side, section in (("online", "networks"), ("offline", "kinds")):
        old = before.get(section, {})
        new = after.get(section, {})
        for group in sorted(set(old) | set(new)):
            o = old.get(group, {})
            n = new.get(group, {})
            movement = Movement(
                side, group,
                float(o.get("points", 0.0)), float(n.get("points", 0.0)),
                float(o.get("share", 0.0)), float(n.get("share", 0.0)),
            )
            if abs(movement.change) >= 0.005 or abs(movement.points_after - movement.points_before) >= 0.005:
                movements.append(movement)
    movements.sort(key=lambda m: (-abs(m.change), m.side, m.group))
    return movements[:limit] if limit else movements
