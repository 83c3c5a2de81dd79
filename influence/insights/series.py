"""What the rules read: one account's metric as (day, value) points, and which metrics are an audience."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

Points = Sequence[tuple[dt.date, int]]
Values = Mapping[dt.date, int]

# The metrics that count people who chose to follow: projections, unusual days and effects use these.
AUDIENCE_METRICS = ("followers", "subscribers")


def daily_changes(points: Points) -> list[tuple[dt.date, int]]:
    """Each day's change from the day before, only where both days were observed.

    A gap (a day without a count) is not spread over the days it covers: a
    change is only ever one day's change, so it can be compared with others.
    """
    changes = []
    for (previous_day, previous), (day, value) in zip(points, points[1:], strict=False):
        if (day - previous_day).days == 1:
            changes.append((day, value - previous))
    return changes
