"""Unusual days: a daily change far outside the account's usual day-to-day changes.

The rule is robust to the outliers it looks for: a day's change is compared
with the median of the changes of the 60 days before it, in units of their
median absolute deviation (scaled to match a standard deviation). One viral
day cannot widen its own yardstick, as it would with a mean and a standard
deviation.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from influence.insights.series import Points, daily_changes

HISTORY_DAYS = 60
# Fewer earlier changes than this and there is no "usual" to compare with.
MIN_HISTORY = 20
THRESHOLD = 6.0
# The MAD of normally distributed values is 0.6745 of their standard deviation.
MAD_SCALE = 1.4826
# A perfectly regular series (the same gain every day) has no spread at all; one
# follower more than usual is not news, so the yardstick is never below one.
MIN_SPREAD = 1.0

SPIKE = "spike"
DROP = "drop"


@dataclass(frozen=True)
class Anomaly:
    day: dt.date
    change: int
    kind: str  # SPIKE or DROP
    usual: float  # the median change of the days before


def find_anomalies(points: Points) -> list[Anomaly]:
    """Every day whose change lies more than THRESHOLD spreads from the median of the 60 days before it."""
    changes = daily_changes(points)
    found = []
    first = 0  # index of the first change still inside the history window
    for index, (day, change) in enumerate(changes):
        while (day - changes[first][0]).days > HISTORY_DAYS:
            first += 1
        history = [c for _, c in changes[first:index]]
        if len(history) < MIN_HISTORY:
            continue
        usual = statistics.median(history)
        spread = max(MAD_SCALE * statistics.median(abs(c - usual) for c in history), MIN_SPREAD)
        if abs(change - usual) > THRESHOLD * spread:
            found.append(Anomaly(day, change, SPIKE if change > usual else DROP, float(usual)))
    return found


def first_days(found: list[Anomaly]) -> list[Anomaly]:
    """One unusual stretch once: the first of consecutive unusual days of the same kind.

    A viral post brings days of unusual gains, and a new, faster pace is unusual
    until the 60 days' yardstick has caught up with it; either is one event to
    read about, not ten. (The effects still see every unusual day.)
    """
    flagged = {(a.day, a.kind) for a in found}
    return [a for a in found if (a.day - dt.timedelta(days=1), a.kind) not in flagged]
