"""Projections: a least-squares line over the last 90 days, carried 30, 90 and 365 days ahead.

The low-high range is a prediction interval from the line's residuals (about
95 %), so a steady series gets a narrow range and a jumpy one a wide range.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from influence.insights.series import Points

FIT_DAYS = 90
MIN_OBSERVED_DAYS = 30
HORIZONS = (30, 90, 365)
# Two-sided 95 % of a normal distribution.
Z = 1.96


@dataclass(frozen=True)
class Projection:
    days_ahead: int
    day: dt.date
    value: int
    low: int
    high: int


def project(points: Points, horizons: tuple[int, ...] = HORIZONS) -> list[Projection]:
    """The series' trend over the 90 days up to its last observed day; none with fewer than 30 observed days."""
    if not points:
        return []
    end = points[-1][0]
    start = end - dt.timedelta(days=FIT_DAYS - 1)
    fitted = [((day - end).days, value) for day, value in points if day >= start]
    n = len(fitted)
    if n < MIN_OBSERVED_DAYS:
        return []
    mean_x = sum(x for x, _ in fitted) / n
    mean_y = sum(y for _, y in fitted) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in fitted)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in fitted) / sxx
    intercept = mean_y - slope * mean_x
    sse = sum((y - (intercept + slope * x)) ** 2 for x, y in fitted)
    spread = math.sqrt(sse / (n - 2))
    projections = []
    for ahead in horizons:
        value = intercept + slope * ahead
        half = Z * spread * math.sqrt(1 + 1 / n + (ahead - mean_x) ** 2 / sxx)
        # Counts are never negative, whatever a falling line says.
        projections.append(
            Projection(
                days_ahead=ahead,
                day=end + dt.timedelta(days=ahead),
                value=max(round(value), 0),
                low=max(round(value - half), 0),
                high=max(round(value + half), 0),
            )
        )
    return projections
