"""Weekly email tasks: thin; the rules live in influence.digests.

Times travel as ISO strings so that tests (and the command) can run the
dispatcher at any moment they choose.
"""

from __future__ import annotations

import datetime as dt

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from influence.digests import selection, sending


def _moment(now_iso: str | None) -> dt.datetime:
    if not now_iso:
        return timezone.now()
    moment = dt.datetime.fromisoformat(now_iso)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def queue_batches(due: list[selection.Due], now: dt.datetime) -> list[str]:
    """One task per batch of about 30 users; returns the task ids."""
    ids = []
    for batch in selection.batches(due):
        result = send_digests_batch.delay(
            [item.user_id for item in batch], [item.week_start.isoformat() for item in batch], now.isoformat()
        )
        ids.append(result.id)
    return ids


@shared_task(name="influence.tasks.digests.dispatch_digests", time_limit=300, soft_time_limit=280)
def dispatch_digests(now_iso: str | None = None) -> dict:
    """Queue the users whose weekly email is due at `now_iso` (default: now).

    Safe to run again: a user queued twice is sent once, since each batch
    claims the user's week (a unique row) before sending.
    """
    now = _moment(now_iso)
    due = selection.due_users(now)
    return {"users": len(due), "tasks": queue_batches(due, now)}


@shared_task(name="influence.tasks.digests.send_digests_batch", time_limit=600, soft_time_limit=580)
def send_digests_batch(user_ids: list[int], week_starts: list[str], now_iso: str | None = None) -> dict:
    """Claim and send each user's week; refused sends are retried with backoff.

    Safe to run again: each week is claimed (a unique (user, week) row) before
    its email is sent, so a redelivered batch skips the weeks already taken;
    one whose worker died mid-send is swept as failed, never sent twice.
    """
    now = _moment(now_iso)
    items = [selection.Due(u, dt.date.fromisoformat(w)) for u, w in zip(user_ids, week_starts, strict=True)]
    result = sending.send_batch(items, now)
    for digest_id in result.refused:
        retry_digest.apply_async((digest_id, now.isoformat()), countdown=sending.backoff(1))
    return {"sent": len(result.sent), "refused": len(result.refused), "skipped": len(result.skipped)}


@shared_task(
    bind=True, name="influence.tasks.digests.retry_digest", max_retries=None, time_limit=120, soft_time_limit=110
)
def retry_digest(self: Task, digest_id: int, now_iso: str | None = None) -> str:
    """One more attempt at a send the mail server refused; gives up after DIGEST_MAX_ATTEMPTS.

    Safe to run again: it sends only while the row is still `sending` and not
    sent (take_attempt), so a second copy finds it sent and does nothing.
    """
    outcome = sending.resend(digest_id, _moment(now_iso))
    if outcome != "refused":
        return outcome
    attempts = sending.attempts_of(digest_id)
    if attempts >= settings.DIGEST_MAX_ATTEMPTS:
        sending.give_up(digest_id)
        return "failed"
    raise self.retry(countdown=sending.backoff(attempts))


@shared_task(name="influence.tasks.digests.sweep_stale_digests", time_limit=120, soft_time_limit=110)
def sweep_stale_digests(now_iso: str | None = None) -> int:
    """Mark sends that died mid-way (still `sending` after an hour) as failed.

    Safe to run again: a row swept once is no longer `sending`.
    """
    return len(sending.sweep_stale(_moment(now_iso)))
