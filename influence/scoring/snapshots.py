"""Scores in the database: load a subject's inputs, sweep days, store snapshots.

The model itself is influence.scoring (pure); this module is its shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Case, Min, OuterRef, Q, Subquery, When
from django.utils import timezone

from influence import scoring
from influence.core.dates import EARLIEST_DATE
from influence.core.models import Account, Activity, Observation, ScoreSnapshot, Subject
from influence.scoring import latest, locks

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
    # The subject's writers take turns, from reading the inputs to storing the days (locks.py).
    with locks.held(subject_id):
        params = parameters_of(subject_id)
        start = first_input_day(subject_id)
        snapshots: list[ScoreSnapshot] = []
        total_days = 0
        if start is not None:
            # Never before the first input, nor before 1900 (an activity stored before dates were bounded).
            since = max(since or start, start, EARLIEST_DATE)
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
            store_snapshots(snapshots, subject_ids=[subject_id])
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


def store_snapshots(snapshots: list[ScoreSnapshot], subject_ids: Iterable[int] = ()) -> None:
    """Upsert snapshots on (subject, day), BATCH_SIZE rows per statement: computing a day again replaces it.

    Then, in the same transaction, the latest score and changes kept on their subjects (and on
    `subject_ids`, whose snapshots the caller may have deleted) are copied again (latest.refresh).
    """
    # Without a savepoint of its own: inside the caller's transaction (a nightly chunk, a history) it is part of it.
    with transaction.atomic(savepoint=False):
        ScoreSnapshot.objects.bulk_create(
            snapshots, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["subject", "day"],
            update_fields=SNAPSHOT_VALUES,
        )
        latest.refresh({snapshot.subject_id for snapshot in snapshots}.union(subject_ids))


def compute_snapshot(subject_id: int, day: dt.date | None = None) -> ScoreSnapshot:
    """Compute and store one day's snapshot (today by default); the snapshot as stored."""
    day = day or today()
    with locks.writing([subject_id]):
        params = parameters_of(subject_id)
        observations, activities = load_inputs(subject_id, until=day)
        breakdown = scoring.score_day(observations, activities, params, day)
        snapshot = _snapshot(subject_id, breakdown, timezone.now())
        store_snapshots([snapshot])
    return snapshot


def compute_snapshots(subject_ids: Sequence[int], day: dt.date) -> list[ScoreSnapshot]:
    """Each subject's snapshot of `day`, as compute_snapshot gives it, read in three queries for any number of subjects.

    A day's score needs only the latest value of each scored metric of each
    account (score_day keeps nothing else), so that is all this reads: one
    index seek per (account, metric) rather than each account's history.
    Subjects that no longer exist are skipped. Nothing is stored (store_snapshots):
    read and store inside locks.writing(subject_ids), so no other writer comes between.
    """
    params_by_workspace: dict[int, scoring.Parameters] = {}
    params_by_subject: dict[int, scoring.Parameters] = {}
    for subject_id, workspace_id, overrides in Subject.objects.filter(pk__in=subject_ids).values_list(
        "pk", "workspace_id", "workspace__score_parameters"
    ):
        if workspace_id not in params_by_workspace:
            params_by_workspace[workspace_id] = scoring.Parameters.from_overrides(overrides)
        params_by_subject[subject_id] = params_by_workspace[workspace_id]
    observations = _latest_observations(list(params_by_subject), params_by_workspace.values(), day)
    activities: dict[int, list[scoring.ActivityInput]] = {}
    for subject_id, pk, kind, date, end_date, audience, title in Activity.objects.filter(
        subject_id__in=list(params_by_subject), date__lte=day
    ).values_list("subject_id", "pk", "kind", "date", "end_date", "audience", "title").order_by():
        activities.setdefault(subject_id, []).append(scoring.ActivityInput(pk, kind, date, end_date, audience, title))
    computed_at = timezone.now()
    return [
        _snapshot(
            subject_id,
            scoring.score_day(observations.get(subject_id, []), activities.get(subject_id, []), params, day),
            computed_at,
        )
        for subject_id, params in params_by_subject.items()
    ]


def _latest_observations(
    subject_ids: list[int], all_params: Iterable[scoring.Parameters], day: dt.date
) -> dict[int, list[scoring.ObservationInput]]:
    """The latest observation on or before `day` of each scored (account, metric) of the subjects, by subject.

    One query whatever the number of accounts: each account row carries, per
    metric some network of these parameters weights, a correlated subquery
    that the unique index (account, metric, day) answers with one backward
    seek ("the newest day on or before `day`"); the CASE runs it only for the
    accounts of networks that weight the metric. Two such subqueries (the day
    and the value) cost two seeks of the same index page, and keep every
    column its own type on PostgreSQL and SQLite alike.
    """
    networks_by_metric: dict[str, set[str]] = {}
    for params in all_params:
        for key, weight in params.weights.items():
            if weight > 0:
                network, metric = key.split(".", 1)
                networks_by_metric.setdefault(metric, set()).add(network)
    metrics = sorted(networks_by_metric)
    columns = {}
    for n, metric in enumerate(metrics):
        newest = Observation.objects.filter(account_id=OuterRef("pk"), metric=metric, day__lte=day).order_by("-day")
        weighted = Q(network__in=sorted(networks_by_metric[metric]))
        columns[f"day_{n}"] = Case(When(weighted, then=Subquery(newest.values("day")[:1])))
        columns[f"value_{n}"] = Case(When(weighted, then=Subquery(newest.values("value")[:1])))
    accounts = Account.objects.filter(subject_id__in=subject_ids).order_by().annotate(**columns)
    latest: dict[int, list[scoring.ObservationInput]] = {}
    for row in accounts.values("pk", "subject_id", "network", "handle", "label", *columns):
        label = _account_label(row["network"], row["handle"], row["label"])
        found = latest.setdefault(row["subject_id"], [])
        for n, metric in enumerate(metrics):
            observed_on, value = row[f"day_{n}"], row[f"value_{n}"]
            if observed_on is not None:
                found.append(scoring.ObservationInput(row["pk"], row["network"], metric, observed_on, value, label))
    return latest
