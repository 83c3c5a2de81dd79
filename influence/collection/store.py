"""Writing a collection's outcome: observations, the account's state and its claim, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from influence.collection.metrics import Row
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, Subject

# A claim lapses COLLECT_CLAIM_TIMEOUT after the task was queued (claimed_until; a retry
# moves it on by its wait): the task is then taken for lost (a worker killed mid-way, a
# message the broker never took), the account is queued again and no longer holds its
# subject's score back.
# Rows per INSERT: a first Wikipedia collection's two-year history is ~1,460 rows.
BATCH_SIZE = 500


def is_failing(consecutive_failures: int) -> bool:
    """The rule that flags an account: COLLECT_FAILING_AFTER collections in a row have failed."""
    return consecutive_failures >= settings.COLLECT_FAILING_AFTER


@contextmanager
def finishing(subject_id: int) -> Iterator[None]:
    """The transaction that writes an account's outcome and, for the last account of its subject, the score.

    The subject's row is locked first, so the accounts of one subject that
    finish at the same time take turns: each sees the claims released before
    it, and only the last one sees none left (`subject_pending`). Its claim is
    released in the same transaction as the score is written: once no account
    of a subject is queued, the subject's score is up to date.
    """
    with transaction.atomic():
        # FOR NO KEY UPDATE: another finishing account of the subject waits here;
        # rows that only refer to the subject (snapshots, activities) are not held up.
        list(Subject.objects.select_for_update(no_key=True).filter(pk=subject_id).values_list("pk", flat=True))
        yield


def upsert_observations(account_id: int, rows: Iterable[Row], now: dt.datetime) -> int:
    """Insert or update (account, metric, day) rows; a second collection the same day adds none."""
    observations = [
        Observation(account_id=account_id, metric=metric, day=day, value=value, collected_at=now)
        for metric, day, value in rows
    ]
    Observation.objects.bulk_create(
        observations, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["account", "metric", "day"],
        update_fields=["value", "collected_at"],
    )
    return len(observations)


def _unless_paused(status: str) -> Case:
    # The UPDATE reads the row as it is: a pause made while the collection ran stays.
    return Case(When(status=AccountStatus.PAUSED, then=Value(AccountStatus.PAUSED)), default=Value(status))


def record_success(account: Account, rows: list[Row], now: dt.datetime, backfilled: bool) -> None:
    """Store the rows and mark the account collected, together; its claim is released."""
    with transaction.atomic():
        upsert_observations(account.pk, rows, now)
        Account.objects.filter(pk=account.pk).update(
            status=_unless_paused(AccountStatus.OK),
            last_attempt_at=Coalesce(F("queued_at"), Value(now)),
            last_collected_at=now,
            last_error="",
            consecutive_failures=0,
            queued_at=None,
            claimed_until=None,
            retry_at=None,
            retry_attempt=0,
            **({"backfilled_at": now} if backfilled else {}),
        )


def record_failure(account: Account, error: str, needs_key: bool, now: dt.datetime) -> str:
    """Count a failed collection on the account (no observation is written) and release its claim; its status."""
    with transaction.atomic():
        current = Account.objects.select_for_update().only("status", "consecutive_failures", "queued_at").get(
            pk=account.pk
        )
        failures = current.consecutive_failures + 1
        if current.status == AccountStatus.PAUSED:
            status = AccountStatus.PAUSED
        elif needs_key:
            status = AccountStatus.NEEDS_KEY
        elif is_failing(failures):
            status = AccountStatus.FAILING
        else:
            status = AccountStatus.OK
        Account.objects.filter(pk=account.pk).update(
            status=status,
            last_attempt_at=current.queued_at or now,
            last_error=error[:2000],
            consecutive_failures=failures,
            queued_at=None,
            claimed_until=None,
            retry_at=None,
            retry_attempt=0,
        )
    return status


def release(account: Account) -> None:
    """Drop the claim of an account that was not collected (paused, manual)."""
    release_claim(account.pk)


def release_claim(account_id: int) -> None:
    """Drop an account's claim without recording an attempt: the dispatcher takes it up when it is due."""
    Account.objects.filter(pk=account_id).update(queued_at=None, claimed_until=None, retry_at=None, retry_attempt=0)


def claim_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.COLLECT_CLAIM_TIMEOUT)


def claim_deadline(now: dt.datetime, wait: float = 0.0) -> dt.datetime:
    """When a claim made (or a retry planned `wait` seconds ahead) at `now` lapses."""
    return now + dt.timedelta(seconds=wait) + claim_timeout()


def claimed(now: dt.datetime) -> Q:
    """Accounts whose claim holds at `now` (a claim from before claimed_until lapses a timeout after queued_at)."""
    return Q(queued_at__isnull=False) & (
        Q(claimed_until__gt=now) | Q(claimed_until__isnull=True, queued_at__gt=now - claim_timeout())
    )


def claim_live(account: Account, now: dt.datetime) -> bool:
    """claimed(now) for an account already read: queued, and its claim not lapsed."""
    if account.queued_at is None:
        return False
    if account.claimed_until is not None:
        return account.claimed_until > now
    return account.queued_at > now - claim_timeout()


def subject_pending(subject_id: int, now: dt.datetime) -> bool:
    """Whether an account of the subject is still queued: its subject's score waits for it."""
    return Account.objects.filter(claimed(now), subject_id=subject_id).exists()


def unclaimed(now: dt.datetime) -> Q:
    return (
        Q(queued_at__isnull=True)
        | Q(claimed_until__lte=now)
        | Q(claimed_until__isnull=True, queued_at__lte=now - claim_timeout())
    )


def lapsed(now: dt.datetime) -> Q:
    """Accounts still marked queued whose claim has lapsed: their task is taken for lost."""
    return Q(queued_at__isnull=False) & (
        Q(claimed_until__lte=now) | Q(claimed_until__isnull=True, queued_at__lte=now - claim_timeout())
    )


def claim_account(account_id: int, now: dt.datetime) -> bool:
    """Mark one account queued ("collect now"); False if it is paused, manual or already queued."""
    return bool(
        Account.objects.filter(unclaimed(now), pk=account_id)
        .exclude(status=AccountStatus.PAUSED)
        .exclude(network=Network.MANUAL)
        .update(queued_at=now, claimed_until=claim_deadline(now))
    )


def claim_token(queued_at: dt.datetime) -> str:
    """What a queued task carries to know its claim: the claim's queued_at (kept by a re-queue)."""
    return queued_at.isoformat()


def holds_claim(account_id: int, token: str) -> bool:
    """Whether the account is still claimed by the claim `token` names (not collected by another copy)."""
    return Account.objects.filter(pk=account_id, queued_at=dt.datetime.fromisoformat(token)).exists()


def extend_claim(account_id: int, wait: float, now: dt.datetime) -> None:
    """A retry planned `wait` seconds ahead keeps the claim until a timeout after it starts."""
    Account.objects.filter(pk=account_id, queued_at__isnull=False).update(claimed_until=claim_deadline(now, wait))


def record_retry(account_id: int, error: str, attempt: int, retry_at: dt.datetime) -> None:
    """A failed collection that will be tried again: when, which retry it is, and why (shown meanwhile)."""
    Account.objects.filter(pk=account_id, queued_at__isnull=False).update(
        retry_at=retry_at, retry_attempt=attempt, last_error=error[:2000]
    )


def expire_claims(account_ids: list[int], now: dt.datetime) -> None:
    """Claims whose task the broker did not take: lapsed at once, so the next minute queues them again."""
    Account.objects.filter(pk__in=account_ids, queued_at__isnull=False).update(claimed_until=now)
