"""Collection tasks: an hourly dispatcher, and one task per account with retries."""

from __future__ import annotations

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from influence import collection
from influence.connectors import TemporaryError

logger = logging.getLogger(__name__)
# Messages sent to the broker in one round trip by the dispatcher.
QUEUE_BATCH = 100


@shared_task(name="influence.tasks.collection.dispatch_due_accounts", time_limit=300, soft_time_limit=280)
def dispatch_due_accounts(now_iso: str | None = None) -> int:
    """Queue one collection per due account; a second run finds them claimed and queues nothing."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    with transaction.atomic():
        ids = collection.claim_due_accounts(now)
        # Queued once the claims are committed (a task must find its account claimed).
        transaction.on_commit(lambda: _queue(ids))
    logger.info("collection dispatched accounts=%d", len(ids))
    return len(ids)


def _queue(account_ids: list[int]) -> None:
    # One producer for the whole batch, its messages sent QUEUE_BATCH at a time (kombu's
    # batch publishing, pipelined on Redis): a dispatch of thousands of accounts then
    # takes a handful of round trips to the broker instead of one per account.
    with collect_account_task.app.producer_or_acquire() as producer, producer.batch(max_size=QUEUE_BATCH):
        for account_id in account_ids:
            collect_account_task.apply_async((account_id,), producer=producer)


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
def collect_account_task(self: Task, account_id: int, attempt: int = 0) -> str:
    """Collect one account; retry timeouts, 5xx and 429 with back-off, then record the failure."""
    final = attempt >= settings.COLLECT_MAX_RETRIES
    try:
        outcome = collection.collect_account(account_id, final=final, throttle=True)
    except collection.Throttled as exc:
        raise self.retry(args=(account_id,), kwargs={"attempt": attempt}, countdown=exc.wait) from None
    except TemporaryError as exc:
        countdown = collection.backoff_seconds(
            attempt, getattr(exc, "retry_after", None), settings.COLLECT_BACKOFF_BASE, settings.COLLECT_BACKOFF_MAX
        )
        logger.info("collection account=%s attempt=%d retry in %.2f s: %s", account_id, attempt, countdown, exc)
        raise self.retry(args=(account_id,), kwargs={"attempt": attempt + 1}, countdown=countdown) from None
    return outcome.line


def queue_collection(account_id: int) -> bool:
    """"Collect now": claim the account and queue its task once the claim is committed."""
    with transaction.atomic():
        claimed = collection.claim_account(account_id, timezone.now())
        if claimed:
            collect_account_task.delay_on_commit(account_id)
    return claimed
