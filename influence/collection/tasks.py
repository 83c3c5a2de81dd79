"""Collection tasks: an hourly dispatcher, and one task per account with retries."""

from __future__ import annotations

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from influence import collection
from influence.collection import store
from influence.connectors import TemporaryError

logger = logging.getLogger(__name__)
# Messages sent to the broker in one round trip by the dispatcher.
QUEUE_BATCH = 100


@shared_task(name="influence.tasks.collection.dispatch_due_accounts", time_limit=300, soft_time_limit=280)
def dispatch_due_accounts(now_iso: str | None = None) -> int:
    """Queue one collection per due account; a second run finds them claimed and queues nothing.

    Safe to run again: accounts are claimed before they are queued, so a second
    run (or a redelivered one) finds them claimed and queues none twice.
    """
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    with transaction.atomic():
        ids = collection.claim_due_accounts(now)
        # Queued once the claims are committed (a task must find its account claimed).
        token = store.claim_token(now)
        transaction.on_commit(lambda: send_collections([(pk, token) for pk in ids], now))
    logger.info("collection dispatched accounts=%d", len(ids))
    return len(ids)


@shared_task(
    name="influence.tasks.collection.requeue_expired_claims", time_limit=120, soft_time_limit=110, ignore_result=True
)
def requeue_expired_claims(now_iso: str | None = None) -> int:
    """Every minute: queue again the accounts whose claim lapsed (COLLECT_CLAIM_TIMEOUT); how many.

    Not while collections still wait in the queue: a claim that lapsed behind
    a backlog is most likely still queued, and is taken up once the backlog
    has drained (tasks waiting for a retry, or held by a worker, are not in
    the queue and do not count).

    Safe to run again (and two at once): the lapsed claims are renewed under
    SKIP LOCKED before they are queued, so each is queued once.
    """
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    if backlog := collection_backlog():
        logger.info("collection lapsed claims wait: %d collections still queued", backlog)
        return 0
    with transaction.atomic():
        claims = collection.claim_lapsed_accounts(now)
        transaction.on_commit(lambda: send_collections(claims, now))
    if claims:
        logger.warning("collection claims lapsed accounts=%d; queued again", len(claims))
    return len(claims)


def collection_backlog() -> int:
    """Messages waiting in the collection queue (0 when it is empty, missing, or the broker cannot say)."""
    name = settings.WORK_QUEUES["collection"]
    try:
        with collect_account_task.app.connection_for_write() as connection:
            channel = connection.default_channel
            client = getattr(channel, "client", None)
            if client is not None and hasattr(client, "llen"):
                # Redis: the queue is a list, its key prefixed by the client (CELERY_BROKER_KEY_PREFIX).
                return int(client.llen(name))
            return int(channel.queue_declare(queue=name, passive=True).message_count)
    except Exception:  # noqa: BLE001 - an empty queue may not exist; an absent broker refuses the requeue anyway
        return 0


def send_collections(claims: list[tuple[int, str]], now: dt.datetime) -> bool:
    """Queue the claimed accounts' tasks; False (logged, never raised) when the broker refused.

    A refused batch keeps its claims, lapsed at once: the next minute's
    requeue_expired_claims queues them again.
    """
    if not claims:
        return True
    # One producer for the whole batch, its messages sent QUEUE_BATCH at a time (kombu's
    # batch publishing, pipelined on Redis): a dispatch of thousands of accounts then
    # takes a handful of round trips to the broker instead of one per account.
    try:
        with collect_account_task.app.producer_or_acquire() as producer, producer.batch(max_size=QUEUE_BATCH):
            for account_id, token in claims:
                collect_account_task.apply_async((account_id,), {"claim": token}, producer=producer)
    except Exception as exc:  # noqa: BLE001 - whatever the broker raised, the claims say what is left to do
        logger.warning(
            "collection of %d accounts not queued (%s: %s); queued again within a minute",
            len(claims), type(exc).__name__, exc,
        )
        try:
            store.expire_claims([pk for pk, _ in claims], now)
        except DatabaseError:
            logger.exception("collection claims not released; they lapse after COLLECT_CLAIM_TIMEOUT")
        return False
    return True


@shared_task(
    bind=True,
    name="influence.tasks.collection.collect_account_task",
    # Retries are counted in `attempt` (network failures only); a rate-limit
    # wait re-queues the task without spending one.
    max_retries=None,
    ignore_result=True,
    acks_late=True,
    # A few paginated requests of COLLECT_HTTP_TIMEOUT each, plus a history recompute.
    soft_time_limit=240,
    time_limit=300,
)
def collect_account_task(self: Task, account_id: int, attempt: int = 0, claim: str | None = None) -> str:
    """Collect one account; retry what may pass by itself with back-off, then record the failure.

    Retried: timeouts, connection errors, 408, 429 and 5xx (TemporaryError),
    each retry shown on the account (store.record_retry). Anything else (a
    name that does not resolve, another 4xx, an invalid handle, a refused
    address) is recorded at once: the next scheduled collection tries again.

    Safe to run again: it runs only while its account is claimed by `claim`
    (the claim's queued_at), and the first copy to finish releases it, so a
    task redelivered after a killed worker, or queued again after its claim
    lapsed, collects once; observations are upserts on (account, metric, day).
    An error before the outcome is stored releases the claim instead of
    leaving the account queued.
    """
    if claim is not None and not store.holds_claim(account_id, claim):
        return f"account {account_id}: not claimed any more (collected by another copy of the task)"
    final = attempt >= settings.COLLECT_MAX_RETRIES
    now = timezone.now()
    try:
        outcome = collection.collect_account(account_id, final=final, throttle=True)
    except collection.Throttled as exc:
        if exc.wait > settings.COLLECT_MAX_WAIT:
            # Not slept off in the broker: the hourly dispatcher takes the account up again.
            store.release_claim(account_id)
            return f"account {account_id}: rate limit busy for {exc.wait:.0f} s; left to the dispatcher"
        store.extend_claim(account_id, exc.wait, now)
        raise self.retry(
            args=(account_id,), kwargs={"attempt": attempt, "claim": claim}, countdown=exc.wait
        ) from None
    except TemporaryError as exc:
        countdown = min(
            collection.backoff_seconds(
                attempt, getattr(exc, "retry_after", None), settings.COLLECT_BACKOFF_BASE, settings.COLLECT_BACKOFF_MAX
            ),
            settings.COLLECT_MAX_WAIT,
        )
        logger.info("collection account=%s attempt=%d retry in %.2f s: %s", account_id, attempt, countdown, exc)
        store.extend_claim(account_id, countdown, now)
        # Shown on the account meanwhile: "retrying (next try at 14:32, attempt 2 of 5)", with the error.
        store.record_retry(account_id, str(exc), attempt + 1, now + dt.timedelta(seconds=countdown))
        raise self.retry(
            args=(account_id,), kwargs={"attempt": attempt + 1, "claim": claim}, countdown=countdown
        ) from None
    except Exception:
        # Nothing was stored (the outcome is one transaction): the claim must not hold the account for
        # COLLECT_CLAIM_TIMEOUT; the next dispatch collects it. The error is raised for the worker's log.
        _release_quietly(account_id)
        raise
    return outcome.line


def _release_quietly(account_id: int) -> None:
    try:
        store.release_claim(account_id)
    except DatabaseError:
        logger.exception("collection account=%s: claim not released; it lapses after COLLECT_CLAIM_TIMEOUT", account_id)


def queue_collection(account_id: int) -> bool:
    """"Collect now": claim the account and queue its task once the claim is committed.

    A broker that refuses is logged, never raised: the claim stays, lapsed, and
    the next minute's requeue_expired_claims queues the collection again.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = collection.claim_account(account_id, now)
        if claimed:
            token = store.claim_token(now)
            transaction.on_commit(lambda: send_collections([(account_id, token)], now))
    return claimed
