"""What users do to accounts: add one (after checking its handle), enter counts, pause, resume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from influence.collection import store
from influence.collection.metrics import validate_metrics
from influence.collection.runner import fetch, has_history
from influence.connectors import BadResponse
from influence.connectors.base import normalize_handle
from influence.core.choices import AccountStatus, Metric, Network
from influence.core.dates import EARLIEST_DATE
from influence.core.models import Account, Subject
from influence.scoring import snapshots
from influence.scoring.queue import queue_subject_recompute
from influence.workspaces.credentials import credentials_for


@dataclass(frozen=True)
class CheckedHandle:
    handle: str
    instance_url: str
    metrics: dict[str, int]


def canonical_handle(network: str, handle: str, instance_url: str = "") -> tuple[str, str]:
    """(handle, instance_url) as the network's connector expects them; ValueError with a message."""
    if network == Network.MANUAL:
        handle = handle.strip()
        if not handle:
            raise ValueError("Enter the profile name or address.")
        return handle, ""
    return normalize_handle(network, handle, instance_url)


def check_handle(workspace_id: int, network: str, handle: str, instance_url: str = "") -> CheckedHandle:
    """Fetch a handle live (short timeout) before it is added: ValueError or a ConnectorError says why not."""
    handle, instance_url = canonical_handle(network, handle, instance_url)
    metrics, _ = fetch(
        network, handle, instance_url, credentials_for(workspace_id), timeout=settings.COLLECT_CHECK_TIMEOUT
    )
    return CheckedHandle(handle, instance_url, metrics)


def add_account(
    subject: Subject,
    network: str,
    handle: str,
    instance_url: str = "",
    label: str = "",
    metrics: dict[str, int] | None = None,
    now: dt.datetime | None = None,
) -> Account:
    """Create the account and store its first metrics (from the check) together."""
    now = now or timezone.now()
    with transaction.atomic():
        account = Account.objects.create(
            subject=subject, network=network, handle=handle, instance_url=instance_url, label=label
        )
        if metrics:
            _store_checked(account, metrics, now)
    if metrics:
        snapshots.compute_snapshot(subject.pk, now.astimezone(dt.UTC).date())
    return account


def save_account(account: Account, handle_changed: bool, metrics: dict[str, int] | None = None,
                 now: dt.datetime | None = None) -> Account:
    """Save an edited account; a new handle starts afresh (its check's metrics, its own history)."""
    now = now or timezone.now()
    with transaction.atomic():
        if handle_changed:
            account.backfilled_at = None
            account.last_error = ""
            account.consecutive_failures = 0
            if account.status != AccountStatus.PAUSED:
                account.status = AccountStatus.OK
        account.save()
        if metrics:
            _store_checked(account, metrics, now)
    if metrics:
        snapshots.compute_snapshot(account.subject_id, now.astimezone(dt.UTC).date())
    return account


def _store_checked(account: Account, metrics: dict[str, int], now: dt.datetime) -> None:
    """The check's answer is a collection like any other: today's values."""
    rows = [(metric, now.astimezone(dt.UTC).date(), value) for metric, value in metrics.items()]
    store.upsert_observations(account.pk, rows, now)
    Account.objects.filter(pk=account.pk).update(last_attempt_at=now, last_collected_at=now)
    account.last_attempt_at = account.last_collected_at = now


def needs_first_collection(account: Account) -> bool:
    """Whether the account's history (Wikipedia) is still to be fetched by a first collection."""
    return account.backfilled_at is None and has_history(account.network)


# The largest count typed by hand: far above any real audience, far below Observation.value's bigint.
MAX_MANUAL_COUNT = 10**12


def enter_counts(account: Account, day: dt.date, values: dict[str, int], now: dt.datetime | None = None) -> int:
    """Store a manual account's counts for `day` (1900 to today); an update of that day replaces them.
    The subject's score is recomputed from that day once the transaction commits.

    Each count is a whole number from 0 to MAX_MANUAL_COUNT; ValueError names the first that is not.
    """
    now = now or timezone.now()
    if day > now.astimezone(dt.UTC).date():
        raise ValueError("Counts cannot be dated in the future.")
    if day < EARLIEST_DATE:
        raise ValueError(f"Counts cannot be dated before {EARLIEST_DATE.isoformat()}.")
    values = {metric: value for metric, value in values.items() if value is not None}
    labels = dict(Metric.choices)
    for metric, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MANUAL_COUNT:
            raise ValueError(
                f"{labels.get(metric, metric)} must be a whole number from 0 to {MAX_MANUAL_COUNT:,}."
            )
    try:
        values = validate_metrics(account.network, values)
    except BadResponse as exc:
        raise ValueError(str(exc)) from None
    with transaction.atomic():
        written = store.upsert_observations(account.pk, [(m, day, v) for m, v in values.items()], now)
        Account.objects.filter(pk=account.pk).update(
            last_attempt_at=now, last_collected_at=now, last_error="", consecutive_failures=0
        )
        queue_subject_recompute(account.subject_id, day)
    return written


def delete_account(account: Account) -> None:
    """Delete the account and its numbers; they counted in every past day, so the whole score is recomputed."""
    with transaction.atomic():
        account.delete()
        queue_subject_recompute(account.subject_id, None)


def pause(account: Account) -> None:
    Account.objects.filter(pk=account.pk).update(status=AccountStatus.PAUSED)


def resume(account: Account) -> str:
    """Back to the schedule, flagged again if it was failing before the pause."""
    status = AccountStatus.FAILING if store.is_failing(account.consecutive_failures) else AccountStatus.OK
    Account.objects.filter(pk=account.pk, status=AccountStatus.PAUSED).update(status=status)
    return status
