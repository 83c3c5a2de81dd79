"""The effect of offline activities on the audience: the daily gain after an activity against before it.

For an activity dated D, the usual daily gain is the average over the 28 days
before D (the changes of D-28 ... D-1) and the gain after it the average over
the 14 days from D (D ... D+13). Activities within 14 days of each other form
one group: their effects cannot be told apart, so the group is measured once,
from its first activity's date to 14 days after its last, and names all of them.

An effect is measured only with both windows complete (their boundary days
observed and most days between them), and not at all when an unusual day falls
in the before-window (the usual gain would not be usual). An unusual day in the
after-window is reported with the effect, flagged: it may be the activity's
doing, or a coincidence.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from influence.insights.series import Values

BEFORE_DAYS = 28
AFTER_DAYS = 14
GROUP_DAYS = 14
# Below one more follower a day, "3x the usual" says nothing: the extra per day is reported instead.
MIN_USUAL_GAIN = 1.0
# A window is complete when its boundary days and this share of its days were observed.
MIN_COVERAGE = 0.8


@dataclass(frozen=True)
class ActivityRef:
    id: int
    day: dt.date
    kind: str


@dataclass(frozen=True)
class Group:
    activities: tuple[ActivityRef, ...]

    @property
    def first(self) -> dt.date:
        return self.activities[0].day

    @property
    def last(self) -> dt.date:
        return self.activities[-1].day

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.activities]


@dataclass(frozen=True)
class Effect:
    group: Group
    before_per_day: float
    after_per_day: float
    ratio: float | None  # None when the usual gain is below MIN_USUAL_GAIN a day
    flagged: bool  # an unusual day in the after-window

    @property
    def strength(self) -> float:
        """How much faster than usual, taking a usual gain below one a day as one a day.

        So an account that gained nothing and then 20 a day ranks with a 20x
        ratio, where the ratio itself would be meaningless.
        """
        return self.after_per_day / max(self.before_per_day, MIN_USUAL_GAIN)


def group_activities(activities: Iterable[ActivityRef]) -> list[Group]:
    """Activities in date order, chained into groups while each is within GROUP_DAYS of the one before."""
    groups: list[list[ActivityRef]] = []
    for activity in sorted(activities, key=lambda a: (a.day, a.id)):
        if groups and (activity.day - groups[-1][-1].day).days <= GROUP_DAYS:
            groups[-1].append(activity)
        else:
            groups.append([activity])
    return [Group(tuple(group)) for group in groups]


def _covered(values: Values, start: dt.date, end: dt.date) -> bool:
    """Both boundary days observed, and most of the days between them."""
    if start not in values or end not in values:
        return False
    days = (end - start).days + 1
    observed = sum(1 for i in range(days) if start + dt.timedelta(days=i) in values)
    return observed >= MIN_COVERAGE * days


def effect(values: Values, group: Group, unusual_days: Collection[dt.date]) -> Effect | None:
    """The group's effect on one series, or None without complete windows or with an unusual day before."""
    day = dt.timedelta(days=1)
    before_start = group.first - (BEFORE_DAYS + 1) * day  # the value the before-window's first change starts from
    before_end = group.first - day
    after_end = group.last + (AFTER_DAYS - 1) * day
    if not (_covered(values, before_start, before_end) and _covered(values, before_end, after_end)):
        return None
    before_changes = {before_start + i * day for i in range(1, BEFORE_DAYS + 1)}
    if any(d in before_changes for d in unusual_days):
        return None
    after_days = (after_end - before_end).days
    before = (values[before_end] - values[before_start]) / BEFORE_DAYS
    after = (values[after_end] - values[before_end]) / after_days
    flagged = any(before_end < d <= after_end for d in unusual_days)
    ratio = round(after / before, 2) if before >= MIN_USUAL_GAIN else None
    return Effect(group, round(before, 2), round(after, 2), ratio, flagged)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    median_ratio: float
    activities: int


def kind_summaries(effects: Sequence[Effect]) -> list[KindSummary]:
    """Per activity kind, the median ratio over the activities of that kind with a measured ratio.

    A group's ratio is the median over the series it was measured on; a group
    counts once for each kind of activity in it, and each activity once.
    """
    by_group: dict[tuple[int, ...], list[float]] = {}
    groups: dict[tuple[int, ...], Group] = {}
    for e in effects:
        if e.ratio is not None:
            key = tuple(e.group.ids)
            by_group.setdefault(key, []).append(e.ratio)
            groups[key] = e.group
    per_kind: dict[str, list[float]] = {}
    counted: dict[str, set[int]] = {}
    for key, ratios in by_group.items():
        ratio = statistics.median(ratios)
        for activity in groups[key].activities:
            if activity.id not in counted.setdefault(activity.kind, set()):
                counted[activity.kind].add(activity.id)
                per_kind.setdefault(activity.kind, []).append(ratio)
    summaries = [KindSummary(kind, round(statistics.median(r), 2), len(r)) for kind, r in per_kind.items()]
    return sorted(summaries, key=lambda s: (-s.activities, -s.median_ratio, s.kind))
