"""Collecting one account: fetch through its connector, store all or nothing, keep its state."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpx
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from influence.collection import ratelimit, store
from influence.collection.metrics import HISTORY_DAYS, Row, history_rows, merge_rows, validate_metrics
from influence.connectors import ConnectorError, NeedsKey, TemporaryError, get_connector
from influence.connectors.base import connector_class
from influence.connectors.http import new_client
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account
from influence.scoring import snapshots
from influence.workspaces.credentials import credentials_for

logger = logging.getLogger(__name__)


class Throttled(Exception):
    """The network's rate limit is used up: collect this account `wait` seconds later."""

    def __init__(self, wait: float):
        super().__init__(f"rate limit reached; wait {wait:.1f} s")
        self.wait = wait


@dataclass
class Outcome:
    """What one collection did, for the task's result, the command's line and the tests."""

    account_id: int
    result: str  # stored, failed, skipped, gone
    status: str = ""
    label: str = ""
    subject_id: int | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    error: str = ""
    history_since: dt.date | None = None
    subject_done: bool = False

    @property
    def line(self) -> str:
        head = f"account {self.account_id}"
        if self.label:
            head += f" ({self.label})"
        if self.result == "stored":
            values = ", ".join(f"{k}={v}" for k, v in sorted(self.metrics.items()))
            extra = f"; history from {self.history_since}" if self.history_since else ""
            return f"{head}: stored {values}{extra}"
        if self.result == "failed":
            return f"{head}: failed: {self.error} (status {self.status})"
        return f"{head}: {self.result}{': ' + self.error if self.error else ''}"


_local = threading.local()


def http_client() -> httpx.Client:
    """One HTTP client per thread, kept between collections.

    Kept, it reuses its connections to the hosts it collects from; one per
    thread rather than one for the worker's fifty threads, because a shared
    pool takes a lock and checks every idle connection of the pool on each
    request and each response. Each request carries its own deadline, so one
    client serves every timeout. Keyed by pid so that a forked worker process
    builds its own.
    """
    if getattr(_local, "pid", None) != os.getpid():
        _local.client = new_client()
        _local.pid = os.getpid()
    return _local.client


def fetch(
    network: str, handle: str, instance_url: str, credentials: dict[str, str], *, history: bool = False,
    timeout: float | None = None,
) -> tuple[dict[str, int], list[Row]]:
    """The account's current metrics (complete, validated) and, if asked and offered, its history rows."""
    connector = get_connector(network, credentials, client=http_client(), timeout=timeout)
    try:
        metrics = validate_metrics(network, connector.fetch(handle, instance_url))
        rows: list[Row] = []
        if history and hasattr(connector, "fetch_history"):
            rows = history_rows(connector.fetch_history(handle, days=HISTORY_DAYS))
    except ConnectorError:
        raise
    except SoftTimeLimitExceeded:
        raise TemporaryError(f"{connector.name}: the collection took too long.") from None
    except httpx.HTTPError as exc:
        raise TemporaryError(f"{connector.name} could not be reached ({exc}).") from None
    except Exception as exc:
        # A connector bug must not leave the account silently stuck: record it
        # on the account like a bad answer, with the traceback in the logs.
        logger.exception("collection network=%s handle=%s unexpected error", network, handle)
        raise ConnectorError(f"{connector.name}: unexpected error ({type(exc).__name__}); see the logs.") from exc
    return metrics, rows


def has_history(network: str) -> bool:
    try:
        return hasattr(connector_class(network), "fetch_history")
    except ConnectorError:
        return False


def collect_account(
    account_id: int,
    now: dt.datetime | None = None,
    *,
    final: bool = True,
    finish_subject: bool = True,
    throttle: bool = False,
) -> Outcome:
    """Collect one account and store the outcome.

    Success stores every metric of the answer (and, on a first Wikipedia
    collection, two years of history) in one transaction with the account's new
    state. A failure stores no observation and counts on the account. With
    `final=False` a temporary error (timeout, 5xx, 429) is raised instead, for
    the caller to retry. With `finish_subject`, the last account of its subject
    to finish recomputes the subject's score.
    """
    now = now or timezone.now()
    account = Account.objects.select_related("subject").filter(pk=account_id).first()
    if account is None:
        return Outcome(account_id, "gone", error="the account was deleted")
    outcome = Outcome(account.pk, "skipped", status=account.status, label=str(account), subject_id=account.subject_id)
    if account.status == AccountStatus.PAUSED or account.network == Network.MANUAL:
        outcome.error = "paused" if account.status == AccountStatus.PAUSED else "manual accounts are entered by hand"
        with store.finishing(account.subject_id):
            store.release(account)
            return _settle(outcome, account, now, finish_subject)
    if throttle and (wait := ratelimit.reserve(account.network, account.instance_url)):
        raise Throttled(wait)

    credentials = credentials_for(account.subject.workspace_id)
    try:
        metrics, history = fetch(
            account.network, account.handle, account.instance_url, credentials,
            history=account.backfilled_at is None,
        )
    except TemporaryError as exc:
        retry_after = getattr(exc, "retry_after", None)
        if not final and (retry_after is None or retry_after <= settings.COLLECT_RETRY_AFTER_MAX):
            raise
        return _failed(outcome, account, exc, now, finish_subject)
    except ConnectorError as exc:
        return _failed(outcome, account, exc, now, finish_subject)

    today = now.astimezone(dt.UTC).date()
    # Stored history, or none to get (an article without views yet): either way not asked again.
    backfilled = bool(history) or (account.backfilled_at is None and has_history(account.network))
    outcome.result, outcome.status, outcome.metrics = "stored", AccountStatus.OK, metrics
    outcome.history_since = min(day for _, day, _ in history) if history else None
    with store.finishing(account.subject_id):
        store.record_success(account, merge_rows(history, metrics, today), now, backfilled=backfilled)
        return _settle(outcome, account, now, finish_subject)


def _failed(outcome: Outcome, account: Account, exc: ConnectorError, now: dt.datetime, finish_subject: bool) -> Outcome:
    logger.info("collection account=%s failed: %s", account.pk, exc)
    outcome.result, outcome.error = "failed", str(exc)
    with store.finishing(account.subject_id):
        outcome.status = store.record_failure(account, str(exc), isinstance(exc, NeedsKey), now)
        return _settle(outcome, account, now, finish_subject)


def _settle(outcome: Outcome, account: Account, now: dt.datetime, finish_subject: bool) -> Outcome:
    """Recompute the subject's scores: from the history's first day when it arrived, else today's once.

    Runs in the transaction of the account's outcome (store.finishing): the
    last of its subject's accounts to finish sees none still queued.
    """
    if finish_subject:
        outcome.subject_done = not store.subject_pending(account.subject_id, now)
        refresh_scores(account.subject_id, now, history_since=outcome.history_since, today=outcome.subject_done)
    return outcome


def refresh_scores(subject_id: int, now: dt.datetime, history_since: dt.date | None = None, today: bool = True) -> None:
    day = now.astimezone(dt.UTC).date()
    if history_since:
        snapshots.recompute_history(subject_id, since=history_since, until=day)
    elif today:
        snapshots.compute_snapshot(subject_id, day)


def collect_accounts(account_ids: Iterable[int], now: dt.datetime | None = None) -> Iterator[Outcome]:
    """Collect accounts one after the other (inline), recomputing each subject's score once at its end."""
    now = now or timezone.now()
    account_ids = list(account_ids)
    subject_of = dict(Account.objects.filter(pk__in=account_ids).values_list("pk", "subject_id"))
    by_subject: dict[int, list[int]] = {}
    for account_id in account_ids:
        by_subject.setdefault(subject_of.get(account_id, 0), []).append(account_id)
    for subject_id, ids in by_subject.items():
        history_since: dt.date | None = None
        collected = False
        for account_id in ids:
            outcome = collect_account(account_id, now, finish_subject=False)
            collected = collected or outcome.result in ("stored", "failed")
            if outcome.history_since:
                history_since = min(filter(None, [history_since, outcome.history_since]))
            yield outcome
        if subject_id and collected:
            refresh_scores(subject_id, now, history_since=history_since)
