"""Sweeping a range of days over inputs read once: what recomputing a history runs.

Every day it gives is the day score_day gives (the property tests hold them to
the bit): both build their items and breakdowns with model.py's functions. The
sweep keeps what does not change from one day to the next, so a day costs work
in proportion to the accounts and activities that count that day, not to
every input ever read: each account metric's latest item (replaced when a new
value arrives), each started activity's base, and decay() for every age
already worked out, one table per half-life.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from operator import attrgetter

from influence.scoring.model import (
    ActivityHead,
    ActivityInput,
    Breakdown,
    Item,
    KindActivities,
    ObservationInput,
    activity_age,
    activity_base,
    activity_head,
    activity_points,
    breakdown,
    decay,
    is_stale,
    online_item,
    online_weight,
)
from influence.scoring.parameters import Parameters


class _Started:
    """The started activities of one kind, in parallel lists that grow as the sweep reaches their dates."""

    def __init__(self, kind: str):
        self.kind = kind
        self.heads: list[ActivityHead] = []
        self.bases: list[float] = []  # activity_base of each
        self.end_dates: list[dt.date | None] = []
        self.decays: list[list[float]] = []  # the decay table of each one's half-life

    def add(self, act: ActivityInput, base: float, decays: list[float]) -> None:
        self.heads.append(activity_head(act))
        self.bases.append(base)
        self.end_dates.append(act.end_date)
        self.decays.append(decays)

    def on(self, day: dt.date) -> KindActivities:
        """The kind's activities and their points on `day` (every one of them has started by then)."""
        kind = self.kind
        # Every activity here has started, so its age is a number (`or 0` only tells the type checker).
        points = [
            activity_points(base, decays[activity_age(kind, head.date, end_date, day) or 0])
            for head, base, end_date, decays in zip(self.heads, self.bases, self.end_dates, self.decays, strict=True)
        ]
        return KindActivities(list(self.heads), points)


def score_history(
    observations: Iterable[ObservationInput],
    activities: Iterable[ActivityInput],
    params: Parameters,
    first_day: dt.date,
    last_day: dt.date,
) -> Iterator[Breakdown]:
    """The breakdown of every day from first_day to last_day, reading the inputs once.

    Gives the same breakdowns as score_day for each day (items may come in
    another order; everything computed from them is the same).
    """
    ordered = sorted(observations, key=attrgetter("day"))
    acts = sorted(activities, key=attrgetter("date"))
    # The latest item of each (account, metric) that scores, as of the day swept.
    latest: dict[tuple[int, str], Item] = {}
    # decay(age, half-life) for every age the range can reach, one table per
    # half-life: a looked-up value is the very float score_day computes.
    dated = [a.date.toordinal() for a in acts] + [a.end_date.toordinal() for a in acts if a.end_date]
    span = max(last_day.toordinal() - min(dated) + 1, 1) if dated else 1
    tables: dict[float, list[float]] = {}
    started: dict[str, _Started] = {}
    latest_activity: dt.date | None = None
    next_obs = next_act = 0
    day = first_day
    while day <= last_day:
        while next_obs < len(ordered) and ordered[next_obs].day <= day:
            obs = ordered[next_obs]
            next_obs += 1
            weight = online_weight(params, obs.network, obs.metric)
            if weight > 0:
                latest[(obs.account_id, obs.metric)] = online_item(obs, weight, stale=False)
        while next_act < len(acts) and acts[next_act].date <= day:
            act = acts[next_act]
            next_act += 1
            half_life = params.half_lives.get(act.kind, 0.0)
            if half_life not in tables:
                tables[half_life] = [decay(age, half_life) for age in range(span)]
            kind = started.get(act.kind) or started.setdefault(act.kind, _Started(act.kind))
            kind.add(act, activity_base(act.kind, act.audience, params), tables[half_life])
            latest_activity = act.date
        online_items = [
            item._replace(stale=True) if item.as_of and is_stale(item.group, item.as_of, day) else item
            for item in latest.values()
        ]
        counted = {name: kind.on(day) for name, kind in started.items()}
        yield breakdown(day, params, online_items, counted, latest_activity)
        day += dt.timedelta(days=1)
