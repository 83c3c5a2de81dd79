"""What users do to accounts: add one (after checking its handle), enter counts, pause, resume.

An account is checked live before it is added. When the check cannot be made
now (the network's host does not answer from here, or this server is offline)
the user may save it unchecked: it is marked so and its first collection is
queued. A host the user typed that does not exist (a Mastodon instance, a
feed) is refused like a misspelt handle.
"""

from __future__ import annotations

import datetime as dt
import socket
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from influence.collection import store
from influence.collection.metrics import validate_metrics
from influence.collection.runner import fetch, has_history
from influence.connectors import BadResponse, ConnectorError, HostNotFound, TemporaryError
from influence.connectors.base import configured_hosts, normalize_handle
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
    # Why the network could not be asked (saved unchecked); empty when it answered.
    not_checked: str = ""


class CannotCheckNow(Exception):
    """The network could not be asked now (offline, down, busy): the account may be saved unchecked."""


# The note an account saved unchecked carries until its first collection.
NOT_CHECKED_NOTE = "Not checked yet: {reason} It will be collected when the network answers."


def canonical_handle(network: str, handle: str, instance_url: str = "") -> tuple[str, str]:
    """(handle, instance_url) as the network's connector expects them; ValueError with a message."""
    if network == Network.MANUAL:
        handle = handle.strip()
        if not handle:
            raise ValueError("Enter the profile name or address.")
        return handle, ""
    return normalize_handle(network, handle, instance_url)


def check_handle(
    workspace_id: int, network: str, handle: str, instance_url: str = "", *, save_unchecked: bool = False
) -> CheckedHandle:
    """Fetch a handle live (short timeout) before it is added.

    ValueError or a ConnectorError says why it cannot be added; CannotCheckNow
    that the network could not be asked now, unless `save_unchecked`: then
    the handle comes back without metrics and `not_checked` says why.
    """
    handle, instance_url = canonical_handle(network, handle, instance_url)
    try:
        metrics, _ = fetch(
            network, handle, instance_url, credentials_for(workspace_id), timeout=settings.COLLECT_CHECK_TIMEOUT
        )
    except ConnectorError as exc:
        if not cannot_check_now(exc):
            raise
        if not save_unchecked:
            raise CannotCheckNow(str(exc)) from exc
        return CheckedHandle(handle, instance_url, {}, not_checked=str(exc))
    return CheckedHandle(handle, instance_url, metrics)


def cannot_check_now(exc: ConnectorError) -> bool:
    """Whether a failed check says nothing against the handle, only that the network cannot be asked now.

    A timeout, a refused connection, 429 and 5xx; a configured API host whose
    name does not resolve (this server is offline). A host the user typed
    that does not resolve does not exist, unless no configured host resolves
    either: then it is this server that cannot look names up.
    """
    if isinstance(exc, TemporaryError):
        return True
    if isinstance(exc, HostNotFound):
        return exc.configured or server_offline()
    return False


def server_offline(timeout: float | None = None) -> bool:
    """Whether none of the operator's API hosts resolves from here, within `timeout` seconds in all."""
    hosts = configured_hosts()
    if not hosts:
        return False
    pool = ThreadPoolExecutor(max_workers=min(4, len(hosts)))
    try:
        futures = [pool.submit(_resolves, host) for host in hosts]
        done, _ = wait(futures, timeout=float(timeout or settings.COLLECT_CHECK_TIMEOUT))
        return not any(future.result() for future in done)
    finally:
        # A lookup cannot be cancelled: one still waiting on a silent name server is left to end alone.
        pool.shutdown(wait=False, cancel_futures=True)


def _resolves(host: str) -> bool:
    try:
        return bool(socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM))
    except (OSError, UnicodeError):
        return False


def add_account(
    subject: Subject,
    network: str,
    handle: str,
    instance_url: str = "",
    label: str = "",
    metrics: dict[str, int] | None = None,
    now: dt.datetime | None = None,
    not_checked: str = "",
) -> Account:
    """Create the account and store its first metrics (from the check) together.

    An account saved unchecked (`not_checked` says why) carries that note as
    its last error until its first collection, which the caller queues.
    """
    now = now or timezone.now()
    note = NOT_CHECKED_NOTE.format(reason=not_checked.strip()) if not_checked else ""
    with transaction.atomic():
        account = Account.objects.create(
            subject=subject, network=network, handle=handle, instance_url=instance_url, label=label,
            last_error=note[:2000],
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
