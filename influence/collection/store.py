"""Writing a collection's outcome: observations and the account's state, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from influence.collection import sql
from influence.collection.metrics import Row
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account

# A claim older than this is a task that was lost (a worker killed mid-way):
# the account may be queued again and no longer holds its subject's score back.
STALE_CLAIM = dt.timedelta(hours=6)


def upsert_observations(account_id: int, rows: Iterable[Row], now: dt.datetime) -> int:
    """Insert or update (account, metric, day) rows; a second collection the same day adds none."""
    return sql.upsert_observations(account_id, list(rows), now)


def failure_status(previous_failures: int, needs_key: bool) -> str:
    if needs_key:
        return AccountStatus.NEEDS_KEY
    if previous_failures + 1 >= settings.COLLECT_FAILING_AFTER:
        return AccountStatus.FAILING
    return AccountStatus.OK


def record_success(account: Account, rows: list[Row], now: dt.datetime, backfilled: bool) -> None:
    """Store the rows and mark the account collected, together."""
    if sql.store_in_one_statement(rows):
        sql.store_collected(account.pk, rows, now, backfilled)
        return
    with transaction.atomic():
        sql.upsert_observations(account.pk, rows, now)
        sql.mark_collected(account.pk, now, backfilled)


def record_failure(account: Account, error: str, needs_key: bool, now: dt.datetime) -> str:
    """Count a failed collection on the account (nothing else is written); its new status."""
    if needs_key:
        status = Value(AccountStatus.NEEDS_KEY)
    else:
        # SET sees the row before the update: failures + 1 >= N.
        status = Case(
            When(consecutive_failures__gte=settings.COLLECT_FAILING_AFTER - 1, then=Value(AccountStatus.FAILING)),
            default=Value(AccountStatus.OK),
        )
    Account.objects.filter(pk=account.pk).update(
        status=Case(When(status=AccountStatus.PAUSED, then=Value(AccountStatus.PAUSED)), default=status),
        last_attempt_at=Coalesce(F("queued_at"), Value(now)),
        last_error=error[:2000],
        consecutive_failures=F("consecutive_failures") + 1,
        queued_at=None,
    )
    return failure_status(account.consecutive_failures, needs_key)


def release(account: Account) -> None:
    """Drop the claim of an account that was not collected (paused, manual)."""
    Account.objects.filter(pk=account.pk).update(queued_at=None)


def subject_settled(account: Account, now: dt.datetime) -> bool:
    """Whether this account, just finished, is the one to recompute its subject's score.

    Called after the account's outcome is committed: of the accounts queued
    together (same claim time), the last to finish sees none left queued. Two
    finishing at the same instant may both see that; the cache's atomic add
    lets only one of them through, so the score is computed once per batch.
    """
    if sql.subject_pending(account.subject_id, now - STALE_CLAIM):
        return False
    batch = account.queued_at.isoformat() if account.queued_at else f"{account.pk}:{now.isoformat()}"
    return cache.add(f"collect-settled:{account.subject_id}:{batch}", 1, timeout=int(STALE_CLAIM.total_seconds()))


def unclaimed(now: dt.datetime) -> Q:
    return Q(queued_at__isnull=True) | Q(queued_at__lt=now - STALE_CLAIM)


def claim_account(account_id: int, now: dt.datetime) -> bool:
    """Mark one account queued ("collect now"); False if it is paused, manual or already queued."""
    return bool(
        Account.objects.filter(unclaimed(now), pk=account_id)
        .exclude(status=AccountStatus.PAUSED)
        .exclude(network=Network.MANUAL)
        .update(queued_at=now)
    )
