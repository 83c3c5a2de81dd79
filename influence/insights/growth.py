"""Growth windows: a metric's change over the last 7, 30 and 90 days, absolute and in percent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from influence.insights.series import Points, Values

WINDOWS = (7, 30, 90)


@dataclass(frozen=True)
class Growth:
    window_days: int
    change: int
    # None when the start value is 0 (a percentage of nothing).
    percent: float | None


def change_over(values: Values, end: dt.date, window_days: int) -> Growth | None:
    """The change from `window_days` before `end` to `end`; None when either day has no value."""
    start = end - dt.timedelta(days=window_days)
    if end not in values or start not in values:
        return None
    first, last = values[start], values[end]
    change = last - first
    percent = round(100 * change / first, 1) if first > 0 else None
    return Growth(window_days, change, percent)


def growth(points: Points, windows: tuple[int, ...] = WINDOWS) -> list[Growth]:
    """The windows ending on the series' last observed day; a window whose start day has no value is left out."""
    if not points:
        return []
    values = dict(points)
    end = points[-1][0]
    return [g for window in windows if (g := change_over(values, end, window)) is not None]
