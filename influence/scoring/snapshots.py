"""Scores in the database: load a subject's inputs, sweep days, store snapshots.

The model itself is influence.scoring (pure); this module is its shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from influence import scoring
from influence.core.models import Account, Activity, Observation, ScoreSnapshot, Subject

# Rows per INSERT when storing a history: 2,000 days (five and a half years) go
# in one statement, so a recompute's queries do not grow with its length; a
# statement of that size stays a few megabytes.
BATCH_SIZE = 2000
# Days computed between two progress reports.
PROGRESS_EVERY = 100


def today() -> dt.date:
    """Snapshots and observations are dated in UTC."""
    return timezone.now().date()


def parameters_for(subject: Subject) -> scoring.Parameters:
    return scoring.Parameters.from_overrides(subject.workspace.score_parameters)


def parameters_of(subject_id: int) -> scoring.Parameters:
    """parameters_for a subject known by its id, reading only its workspace's overrides."""
    overrides = Subject.objects.filter(pk=subject_id).values_list("workspace__score_parameters", flat=True).get()
    return scoring.Parameters.from_overrides(overrides)


def load_inputs(
    subject_id: int, until: dt.date | None = None, params: scoring.Parameters | None = None
) -> tuple[list[scoring.ObservationInput], list[scoring.ActivityInput]]:
    """Every observation and activity of a subject (dated on or before `until`), in three queries.

    Given `params`, only the observations of metrics with a positive weight are
    read: the others score nothing, so a history does not need them.
    """
    accounts = {
        pk: (network, _account_label(network, handle, label))
        for pk, network, handle, label in Account.objects.filter(subject_id=subject_id).values_list(
            "pk", "network", "handle", "label"
        )
    }
    observations = Observation.objects.filter(account__subject_id=subject_id)
    activities = Activity.objects.filter(subject_id=subject_id)
    if until:
        observations = observations.filter(day__lte=until)
        activities = activities.filter(date__lte=until)
    if params is not None:
        observations = observations.filter(_scored(accounts, params))
    obs_inputs = [
        scoring.ObservationInput(account_id, accounts[account_id][0], metric, day, value, accounts[account_id][1])
        for account_id, metric, day, value in observations.order_by().values_list(
            "account_id", "metric", "day", "value"
        )
    ]
    act_inputs = [
        scoring.ActivityInput(*row)
        for row in activities.values_list("pk", "kind", "date", "end_date", "audience", "title").order_by("date")
    ]
    return obs_inputs, act_inputs


def _scored(accounts: dict[int, tuple[str, str]], params: scoring.Parameters) -> Q:
    """Observations of a metric that carries weight on its account's network."""
    by_network: dict[str, list[str]] = {}
    for key, weight in params.weights.items():
        if weight > 0:
            network, metric = key.split(".", 1)
            by_network.setdefault(network, []).append(metric)
    condition = Q(pk__in=[])
    for network in sorted({network for network, _ in accounts.values()}):
        if network in by_network:
            ids = sorted(pk for pk, (net, _) in accounts.items() if net == network)
            condition |= Q(account_id__in=ids, metric__in=sorted(by_network[network]))
    return condition


def _account_label(network: str, handle: str, label: str) -> str:
    return f"{label or network}: {handle}"


def explain_day(subject: Subject, day: dt.date) -> scoring.Breakdown:
    """The full breakdown of one day, every item included (computed on demand)."""
    observations, activities = load_inputs(subject.pk, until=day)
    return scoring.score_day(observations, activities, parameters_for(subject), day)


def first_input_day(subject_id: int) -> dt.date | None:
    """The earliest day with an observation or activity: where a subject's history starts."""
    first = [
        Observation.objects.filter(account__subject_id=subject_id).aggregate(first=Min("day"))["first"],
        Activity.objects.filter(subject_id=subject_id).aggregate(first=Min("date"))["first"],
    ]
    days = [d for d in first if d]
    return min(days) if days else None


def recompute_history(
    subject_id: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild a subject's snapshots from `since` (default: its first input) to `until` (today).

    Reads the inputs once, sweeps the days in memory and writes the snapshots
    in bulk (an upsert on (subject, day)), so the number of queries does not
    grow with the number of days. Snapshots dated before the first input are
    removed (they explained inputs that no longer exist); those after `until`
    are kept. `progress(done, total)` is called as days are computed and once
    more when they are stored. Returns the number of days written.
    """
    params = parameters_of(subject_id)
    start = first_input_day(subject_id)
    snapshots: list[ScoreSnapshot] = []
    total_days = 0
    if start is not None:
        since = max(since, start) if since else start
        until = until or today()
        total_days = max((until - since).days + 1, 0)
        observations, activities = load_inputs(subject_id, until=until, params=params)
        computed_at = timezone.now()
        # Computed outside the transaction: progress reports written meanwhile are seen at once.
        for breakdown in scoring.score_history(observations, activities, params, since, until):
            snapshots.append(_snapshot(subject_id, breakdown, computed_at))
            if progress and len(snapshots) % PROGRESS_EVERY == 0:
                progress(len(snapshots), total_days)
    with transaction.atomic():
        # Days before the first input have no score: drop any left from older inputs.
        existing = ScoreSnapshot.objects.filter(subject_id=subject_id)
        (existing.filter(day__lt=start) if start else existing).delete()
        _store(snapshots)
    if progress:
        progress(len(snapshots), total_days)
    return len(snapshots)


def _snapshot(subject_id: int, breakdown: scoring.Breakdown, computed_at: dt.datetime) -> ScoreSnapshot:
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
        computed_at=computed_at,
    )


SNAPSHOT_VALUES = [
    "total", "online", "offline", "online_points", "offline_points", "breakdown", "model_version", "computed_at",
]


def _store(snapshots: list[ScoreSnapshot]) -> None:
    """Upsert snapshots on (subject, day), BATCH_SIZE rows per statement: computing a day again replaces it."""
    ScoreSnapshot.objects.bulk_create(
        snapshots, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["subject", "day"],
        update_fields=SNAPSHOT_VALUES,
    )


def compute_snapshot(subject_id: int, day: dt.date | None = None) -> ScoreSnapshot:
    """Compute and store one day's snapshot (today by default); the snapshot as stored."""
    day = day or today()
    params = parameters_of(subject_id)
    observations, activities = load_inputs(subject_id, until=day)
    breakdown = scoring.score_day(observations, activities, params, day)
    snapshot = _snapshot(subject_id, breakdown, timezone.now())
    _store([snapshot])
    return snapshot
