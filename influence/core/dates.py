"""The days the product deals in: from 1900-01-01 to one year ahead of today.

An activity, a chart range or a recompute outside these bounds is refused (or
clamped) before it reaches the database: a year-1 date made one recompute sweep
two thousand years, and dates near either end of the calendar overflow on the
first arithmetic done with them.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(1900, 1, 1)


def latest_allowed_date(today: dt.date) -> dt.date:
    """A date may lie at most one calendar year ahead (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def within_bounds(value: dt.date, today: dt.date) -> bool:
    return EARLIEST_DATE <= value <= latest_allowed_date(today)


def bounds_text(today: dt.date) -> str:
    """The allowed days as a user reads them in a message."""
    return f"{EARLIEST_DATE.isoformat()} to {latest_allowed_date(today).isoformat()}"
