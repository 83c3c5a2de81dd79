"""Sweeping a range of days over inputs read once: what recomputing a history runs.

Every day it gives is the day score_day gives (the property tests hold them to
the bit). It is faster because it keeps what does not change from day to day:
an account metric's item until a new value arrives or it turns stale, an
activity's base * size, one decay table per half-life. A day then costs one
multiplication per started activity; the activities' items themselves are
only built if someone asks for a day's `items`, since a snapshot needs only
their sums per kind and the few largest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from itertools import chain, repeat

from influence.scoring.model import (
    ONGOING_KINDS,
    STALE_AFTER_DAYS,
    STALE_AFTER_DAYS_MANUAL,
    ActivityInput,
    Breakdown,
    Item,
    ObservationInput,
    _breakdown,
    _by_date,
    _by_day,
    _new_tuple,
    audience_size,
    decay,
)
from influence.scoring.parameters import Parameters


class _Kind:
    """The started activities of one kind, in parallel lists (the day's comprehension zips them)."""

    __slots__ = ("ongoing", "base", "table", "since", "keys", "heads")

    def __init__(self, ongoing: bool):
        self.ongoing = ongoing
        self.base: list[float] = []  # base * size
        self.table: list[list[float]] = []  # decay by age in days
        self.since: list[int | None] = []  # one-off: date ordinal; ongoing: end ordinal or None
        self.keys: list[str] = []
        self.heads: list[tuple[str, str, dt.date]] = []  # (key, label, date)

    def points(self, ordinal: int) -> list[float]:
        # base * size * decay: the expression of scoring._activity_points, decay looked up.
        if self.ongoing:
            return [
                base * table[0 if end is None or end >= ordinal else ordinal - end]
                for base, table, end in zip(self.base, self.table, self.since, strict=True)
            ]
        return [base * table[ordinal - start] for base, table, start in zip(self.base, self.table, self.since,
                                                                              strict=True)]


class _SweptBreakdown(Breakdown):
    """A day of the sweep: the same breakdown, with its activity items built on first use."""

    def __getattr__(self, name: str):
        if name != "items":
            raise AttributeError(name)
        items = list(self._online_items)
        for kind, points in self._kind_points.items():
            # The kind's heads list may have grown since this day: zip stops at the day's count.
            heads = self._kinds[kind].heads
            items += [_new_tuple(Item, (key, "offline", kind, label, p, False, date))
                      for (key, label, date), p in zip(heads, points, strict=False)]
        self.__dict__["items"] = items
        return items

    def _largest(self, top: int) -> list[Item]:
        candidates = [(item.points, item.key, item) for item in self._online_items]
        for kind, points in self._kind_points.items():
            # The kind's lists may have grown since this day: zip stops at the day's count.
            candidates += zip(points, self._kinds[kind].keys, zip(repeat(kind), range(len(points))), strict=False)
        # Keys are unique, so the tuples compare on (points, key) and never reach the payload;
        # sorting in C beats heapq.nlargest's Python loop at these sizes.
        candidates.sort(reverse=True)
        largest = []
        for points, key, found in candidates[:top]:
            if isinstance(found, Item):
                largest.append(found)
            else:
                kind, index = found
                _key, label, date = self._kinds[kind].heads[index]
                largest.append(_new_tuple(Item, (key, "offline", kind, label, points, False, date)))
        return largest

    def _summary(self):
        online: dict[str, list[float]] = {}
        stale: list[Item] = []
        latest_observation = None
        for item in self._online_items:
            online.setdefault(item.group, []).append(item.points)
            if item.as_of and (latest_observation is None or item.as_of > latest_observation):
                latest_observation = item.as_of
            if item.stale and item.as_of:
                stale.append(item)
        weighted = self.online_points + self.offline_points
        params = self.parameters
        sides = []
        for collected, weight in ((online, params.w_online), (self._kind_points, params.w_offline)):
            groups = {}
            for group, points in collected.items():
                if not points:
                    continue
                summed = math.fsum(points)
                share = self.total * weight * summed / weighted if weighted > 0 else 0.0
                groups[group] = {"points": summed, "share": share, "count": len(points)}
            sides.append(groups)
        return sides[0], sides[1], stale, latest_observation, self._latest_activity


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
    ordered = sorted(observations, key=_by_day)
    acts = sorted(activities, key=_by_date)
    # (account, metric) -> (weight, item key, label without one, days before stale)
    series: dict[tuple[int, str], tuple[float, str, str, int]] = {}
    # (account, metric) -> [fresh item, stale item or None, first stale day's ordinal]
    online: dict[tuple[int, str], list] = {}
    # Decay by age in days, one table per half-life: built with decay() itself, so
    # a looked-up value is the very float score_day computes.
    dated = [a.date.toordinal() for a in acts] + [a.end_date.toordinal() for a in acts if a.end_date]
    span = max(last_day.toordinal() - min(dated) + 1, 1) if dated else 1
    tables: dict[float, list[float]] = {}
    kinds: dict[str, _Kind] = {}
    latest_activity: dt.date | None = None
    next_obs = next_act = 0
    n_obs, n_act = len(ordered), len(acts)
    day = first_day
    one_day = dt.timedelta(days=1)
    while day <= last_day:
        while next_obs < n_obs and ordered[next_obs].day <= day:
            account_id, network, metric, observed_on, value, label = ordered[next_obs]
            next_obs += 1
            slot = (account_id, metric)
            known = series.get(slot)
            if known is None:
                weight = params.weights.get(f"{network}.{metric}", 0.0)
                known = series[slot] = (
                    weight, f"account:{account_id}:{metric}", f"{network} {metric}",
                    STALE_AFTER_DAYS_MANUAL if network == "manual" else STALE_AFTER_DAYS,
                )
            weight, key, unlabelled, limit = known
            if weight > 0:
                # scoring.online_points(weight, value), spelled out; _online_item builds the same tuple.
                points = weight * math.log10(1 + max(value, 0))
                item = _new_tuple(Item, (key, "online", network, label or unlabelled, points, False, observed_on))
                online[slot] = [item, None, observed_on.toordinal() + limit + 1]
        while next_act < n_act and acts[next_act].date <= day:
            act = acts[next_act]
            next_act += 1
            half_life = params.half_lives.get(act.kind, 0.0)
            table = tables.get(half_life)
            if table is None:
                table = tables[half_life] = [decay(age, half_life) for age in range(span)]
            group = kinds.get(act.kind)
            if group is None:
                group = kinds[act.kind] = _Kind(act.kind in ONGOING_KINDS)
            group.base.append(params.bases.get(act.kind, 0.0) * audience_size(act.audience))
            group.table.append(table)
            if group.ongoing:
                group.since.append(act.end_date.toordinal() if act.end_date else None)
            else:
                group.since.append(act.date.toordinal())
            group.keys.append(f"activity:{act.activity_id}")
            group.heads.append((group.keys[-1], act.title or act.kind, act.date))
            latest_activity = act.date
        ordinal = day.toordinal()
        online_items = []
        for entry in online.values():
            if ordinal < entry[2]:
                online_items.append(entry[0])
            else:
                if entry[1] is None:
                    entry[1] = entry[0]._replace(stale=True)
                online_items.append(entry[1])
        kind_points = {kind: group.points(ordinal) for kind, group in kinds.items()}
        # Scored as score_day scores: exact sums, so the order of the points does not matter.
        swept = _breakdown(
            day, [], params, math.fsum([item.points for item in online_items]),
            math.fsum(chain.from_iterable(kind_points.values())), cls=_SweptBreakdown,
        )
        del swept.__dict__["items"]  # built on first use, see _SweptBreakdown
        swept._online_items = online_items
        swept._kind_points = kind_points
        swept._kinds = kinds
        swept._latest_activity = latest_activity
        yield swept
        day += one_day
