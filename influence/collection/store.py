"""Writing a collection's outcome: observations and the account's state, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from influence.collection.metrics import Row
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, Subject

# A claim older than this is a task that was lost (a worker killed mid-way):
# the account may be queued again and no longer holds its subject's score back.
STALE_CLAIM = dt.timedelta(hours=6)
# Rows per INSERT: the two-year Wikipedia history is ~1,460 rows.
BATCH_SIZE = 500


def upsert_observations(account_id: int, rows: Iterable[Row], now: dt.datetime) -> int:
    """Insert or update (account, metric, day) rows; a second collection the same day adds none."""
    objs = [
        Observation(account_id=account_id, metric=metric, day=day, value=value, collected_at=now)
        for metric, day, value in rows
    ]
    Observation.objects.bulk_create(
        objs,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["account", "metric", "day"],
        update_fields=["value", "collected_at"],
    )
    return len(objs)


def _keep_paused(status: str) -> Case:
    """A pause made while a collection ran wins over the collection's verdict."""
    return Case(When(status=AccountStatus.PAUSED, then=Value(AccountStatus.PAUSED)), default=Value(status))


def failure_status(previous_failures: int, needs_key: bool) -> str:
    if needs_key:
        return AccountStatus.NEEDS_KEY
    if previous_failures + 1 >= settings.COLLECT_FAILING_AFTER:
        return AccountStatus.FAILING
    return AccountStatus.OK


def record_success(
    account: Account, rows: list[Row], now: dt.datetime, backfilled: bool, finish_subject: bool
) -> bool:
    """Store the rows and mark the account collected; True when its subject has nothing left queued."""
    with transaction.atomic():
        if finish_subject:
            _lock_subject(account.subject_id)
        upsert_observations(account.pk, rows, now)
        Account.objects.filter(pk=account.pk).update(
            status=_keep_paused(AccountStatus.OK),
            last_attempt_at=Coalesce(F("queued_at"), Value(now)),
            last_collected_at=now,
            last_error="",
            consecutive_failures=0,
            queued_at=None,
            backfilled_at=Value(now) if backfilled else F("backfilled_at"),
        )
        return finish_subject and not _subject_pending(account.subject_id, now)


def record_failure(
    account: Account, error: str, needs_key: bool, now: dt.datetime, finish_subject: bool
) -> tuple[str, bool]:
    """Count a failed collection on the account; (its new status, whether its subject is done)."""
    with transaction.atomic():
        if finish_subject:
            _lock_subject(account.subject_id)
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
        done = finish_subject and not _subject_pending(account.subject_id, now)
    return failure_status(account.consecutive_failures, needs_key), done


def release(account: Account, now: dt.datetime, finish_subject: bool) -> bool:
    """Drop the claim of an account that was not collected (paused, manual)."""
    with transaction.atomic():
        if finish_subject:
            _lock_subject(account.subject_id)
        Account.objects.filter(pk=account.pk).update(queued_at=None)
        return finish_subject and not _subject_pending(account.subject_id, now)


def _lock_subject(subject_id: int) -> None:
    # The accounts of one subject finish one at a time, so exactly one of them
    # sees that none is left queued and recomputes the subject's score.
    list(Subject.objects.select_for_update().filter(pk=subject_id).values_list("pk"))


def _subject_pending(subject_id: int, now: dt.datetime) -> bool:
    return Account.objects.filter(subject_id=subject_id, queued_at__gte=now - STALE_CLAIM).exists()


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
