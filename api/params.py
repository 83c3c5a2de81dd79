"""Query parameters of the API, read once and bounded like the pages' (1900 to a year ahead)."""

from __future__ import annotations

import datetime as dt

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from influence.core.dates import bounds_text, within_bounds
from influence.scoring.snapshots import today


def date_param(request: Request, name: str) -> dt.date | None:
    """The ISO day in ?name=, None when absent; a 400 naming the parameter when it is not a day
    or lies outside the days the product deals in."""
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [f"“{value[:40]}” is not a date; use YYYY-MM-DD."]}) from None
    if not within_bounds(day, today()):
        raise ValidationError({name: [f"Use a date from {bounds_text(today())}."]})
    return day
