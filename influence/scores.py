"""Scores in the database: load a subject's inputs, sweep days, store snapshots.

The model itself is influence.scoring (pure); this module is its shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from influence import scoring
from influence.core.models import Activity, Observation, ScoreSnapshot, Subject

# Rows per INSERT when storing a history: big enough to amortise round trips,
# small enough to keep each statement's parameters well under PostgreSQL's limits.
BATCH_SIZE = 500


def today() -> dt.date:
    """Snapshots and observations are dated in UTC."""
    return timezone.now().date()


def parameters_for(subject: Subject) -> scoring.Parameters:
    return scoring.Parameters.from_overrides(subject.workspace.score_parameters)


def load_inputs(
    subject_id: int, until: dt.date | None = None
) -> tuple[list[scoring.ObservationInput], list[scoring.ActivityInput]]:
    """Every observation and activity of a subject (dated on or before `until`), in two queries."""
    observations = Observation.objects.filter(account__subject_id=subject_id)
    activities = Activity.objects.filter(subject_id=subject_id)
    if until:
        observations = observations.filter(day__lte=until)
        activities = activities.filter(date__lte=until)
    obs_inputs = [
        scoring.ObservationInput(account_id, network, metric, day, value, _account_label(network, handle, label))
        for account_id, network, handle, label, metric, day, value in observations.values_list(
            "account_id", "account__network", "account__handle", "account__label", "metric", "day", "value"
        ).order_by("day")
    ]
    act_inputs = [
        scoring.ActivityInput(pk, kind, date, end_date, audience, title)
        for pk, kind, date, end_date, audience, title in activities.values_list(
            "pk", "kind", "date", "end_date", "audience", "title"
        ).order_by("date")
    ]
    return obs_inputs, act_inputs


def _account_label(network: str, handle: str, label: str) -> str:
    return f"{label or network}: {handle}"


def explain_day(subject: Subject, day: dt.date) -> scoring.Breakdown:
    """The full breakdown of one day, every item included (computed on demand)."""
    observations, activities = load_inputs(subject.pk, until=day)
    return scoring.score_day(observations, activities, parameters_for(subject), day)


def _snapshot(subject_id: int, breakdown: scoring.Breakdown) -> ScoreSnapshot:
    return ScoreSnapshot(
        subject_id=subject_id,
        day=breakdown.day,
        total=breakdown.total,
        online=breakdown.online,
        offline=breakdown.offline,
        online_points=breakdown.online_points,
        offline_points=breakdown.offline_points,
        breakdown=breakdown.to_json(),
        model_version=breakdown.model_version,
        computed_at=timezone.now(),
    )


def first_input_day(subject_id: int) -> dt.date | None:
    """The earliest day with an observation or activity: where a subject's history starts."""
    days = [
        Observation.objects.filter(account__subject_id=subject_id).order_by("day").values_list("day", flat=True)[:1],
        Activity.objects.filter(subject_id=subject_id).order_by("date").values_list("date", flat=True)[:1],
    ]
    days = [next(iter(d), None) for d in days]
    days = [d for d in days if d]
    return min(days) if days else None


def recompute_history(
    subject_id: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild a subject's snapshots from `since` (default: its first input) to `until` (today).

    Reads the inputs once, sweeps the days in memory and writes the snapshots
    in bulk (an upsert on (subject, day)); returns the number of days written.
    """
    subject = Subject.objects.select_related("workspace").get(pk=subject_id)
    until = until or today()
    start = first_input_day(subject_id)
    if start is None:
        ScoreSnapshot.objects.filter(subject_id=subject_id, day__gte=since or dt.date.min).delete()
        return 0
    since = max(since, start) if since else start
    if since > until:
        return 0
    observations, activities = load_inputs(subject_id, until=until)
    params = parameters_for(subject)
    total_days = (until - since).days + 1
    written = 0
    batch: list[ScoreSnapshot] = []
    with transaction.atomic():
        # Days before the first input have no score: drop any left from older inputs.
        ScoreSnapshot.objects.filter(subject_id=subject_id, day__lt=start).delete()
        for breakdown in scoring.score_history(observations, activities, params, since, until):
            batch.append(_snapshot(subject_id, breakdown))
            if len(batch) >= BATCH_SIZE:
                written += _store(batch)
                batch = []
                if progress:
                    progress(written, total_days)
        written += _store(batch)
    if progress:
        progress(written, total_days)
    return written


def _store(batch: list[ScoreSnapshot]) -> int:
    if not batch:
        return 0
    ScoreSnapshot.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["subject", "day"],
        update_fields=[
            "total", "online", "offline", "online_points", "offline_points", "breakdown", "model_version",
            "computed_at",
        ],
    )
    return len(batch)


def compute_snapshot(subject_id: int, day: dt.date | None = None) -> ScoreSnapshot:
    """Compute and store one day's snapshot (today by default)."""
    day = day or today()
    subject = Subject.objects.select_related("workspace").get(pk=subject_id)
    observations, activities = load_inputs(subject_id, until=day)
    breakdown = scoring.score_day(observations, activities, parameters_for(subject), day)
    snapshot = _snapshot(subject_id, breakdown)
    _store([snapshot])
    return ScoreSnapshot.objects.get(subject_id=subject_id, day=day)
