"""Each subject's latest score and its changes, kept on the subject for the lists that sort by them.

The home page sorted by 7-day change and the weekly email's ten subjects that
moved most would otherwise compute every subject's change from its snapshots to
show a page of them. Instead, every write of snapshots (snapshots.store_snapshots:
the nightly chunks, a workspace's recompute, a subject's history rebuilt after a
collection or an edit of its activities) calls `refresh` for the subjects it wrote,
in its transaction; indexes on the copies answer "sorted by change" and "moved
most" by reading a page of rows.

The values are those the dashboard has always shown: the newest snapshot's day,
total and stale inputs, and the change of the shown (whole-number) score since the
last snapshot at least 7 (30) days before the newest, looked for within
CHANGE_WINDOW_DAYS of it (an older one says nothing about this week or month).
Seeders and tests that write snapshots in bulk without store_snapshots call
`refresh` afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import DateField, ExpressionWrapper, F, FloatField, IntegerField, OuterRef, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Floor

from influence.core.models import ScoreSnapshot, Subject

# How far back from the newest snapshot a change's earlier score may be.
CHANGE_WINDOW_DAYS = 90
# The changes kept: 7 and 30 days.
CHANGE_DAYS = (7, 30)
# Subjects per UPDATE: a statement's list of ids stays small while a whole workspace is refreshed.
BATCH_SIZE = 2000


def refresh(subject_ids: Iterable[int]) -> int:
    """Copy the subjects' latest score and changes from their snapshots (nulls without any): one
    UPDATE per BATCH_SIZE subjects; the number of subjects updated."""
    ids = sorted(set(subject_ids))
    updated = 0
    for start in range(0, len(ids), BATCH_SIZE):
        updated += Subject.objects.filter(pk__in=ids[start:start + BATCH_SIZE]).update(**latest_values())
    return updated


def latest_values() -> dict[str, Any]:
    """The UPDATE's value of each copy, for a subject row.

    Each is a subquery that the unique index (subject, day) answers with a
    backward seek per subject, whatever the length of its history: one to the
    newest snapshot for its day, total and stale inputs, and for each change
    one to the newest snapshot and from it one to the earlier one. (Migration
    0009 filled the copies of the subjects of its day by the same rules.)
    """
    latest = ScoreSnapshot.objects.filter(subject_id=OuterRef("pk")).order_by("-day")

    def change(days: int) -> Subquery:
        earlier = ScoreSnapshot.objects.filter(
            subject_id=OuterRef("subject_id"),
            day__lte=_days_before(OuterRef("day"), days),
            day__gte=_days_before(OuterRef("day"), CHANGE_WINDOW_DAYS),
        ).order_by("-day")
        moved = _shown(F("total")) - _shown(Subquery(earlier.values("total")[:1]))
        return Subquery(latest.annotate(moved=Cast(moved, output_field=IntegerField())).values("moved")[:1])

    values: dict[str, Any] = {
        "score_day": Subquery(latest.values("day")[:1]),
        "score_total": Subquery(latest.values("total")[:1]),
        "score_stale": Subquery(latest.values("breakdown__stale")[:1]),
    }
    for days in CHANGE_DAYS:
        values[f"score_change_{days}d"] = change(days)
    return values


def _days_before(day: Combinable, days: int) -> ExpressionWrapper:
    return ExpressionWrapper(day - dt.timedelta(days=days), output_field=DateField())


def _shown(total: Combinable) -> Floor:
    """The whole number a total is shown as (reports.summaries.shown): floor(total + 0.5)."""
    return Floor(ExpressionWrapper(total + Value(0.5), output_field=FloatField()))
