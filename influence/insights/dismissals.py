"""Dismissing an unusual day: a member who can edit marks it explained; it is no longer listed or marked."""

from __future__ import annotations

import datetime as dt

from influence.core.models import Account, AnomalyDismissal, Observation, User
from influence.insights import anomalies
from influence.insights.series import AUDIENCE_METRICS


class NotUnusual(ValueError):
    """The day named is not an unusual day of that account's metric."""


def dismiss(account: Account, metric: str, day: dt.date, user: User) -> AnomalyDismissal:
    """Dismiss the unusual day `day` of the account's metric (again: the same row)."""
    if metric not in AUDIENCE_METRICS:
        raise NotUnusual("Only followers and subscribers have unusual days.")
    # The day's change is judged against the 60 days before it, so these are all the rule reads.
    since = day - dt.timedelta(days=anomalies.HISTORY_DAYS + 1)
    points = list(
        Observation.objects.filter(account=account, metric=metric, day__gte=since, day__lte=day)
        .order_by("day")
        .values_list("day", "value")
    )
    if day not in {a.day for a in anomalies.find_anomalies(points)}:
        raise NotUnusual(f"{day.isoformat()} is not an unusual day of {account.display_name}.")
    dismissal, _ = AnomalyDismissal.objects.get_or_create(
        account=account, metric=metric, day=day, defaults={"dismissed_by": user}
    )
    return dismissal
