"""The weekly email's sending: claiming a week, sending, retrying, sweeping.

Claim, then act: a Digest row, unique per user and week, is created before
anything is sent, so a second dispatcher, a second worker or a redelivered task
finds the week taken and sends nothing. A send the mail server refused (known
not delivered) is retried with backoff; a worker that died mid-send leaves the
row `sending`, and the sweep marks it failed after an hour: an email missed in a
crash is better than a second one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from influence.core.addresses import email_is_verified
from influence.core.choices import DigestStatus
from influence.core.models import Digest, User
from influence.digests.content import DigestData
from influence.digests.message import build_message
from influence.digests.selection import Due

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(hours=1)
MAX_BACKOFF_SECONDS = 15 * 60
# What says a message was not taken: the server refused it (SMTPException), or there was no
# server to take it (OSError: connection refused, timed out, unreachable). A timeout after the
# final "." of DATA is the one ambiguous case; it is treated as not taken, like the rest.
NOT_DELIVERED = (smtplib.SMTPException, OSError)


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)  # digest ids
    refused: list[int] = field(default_factory=list)  # digest ids to retry
    failed: list[int] = field(default_factory=list)  # digest ids given up (content could not be built)
    skipped: list[int] = field(default_factory=list)  # user ids: claimed elsewhere, turned off, no subject


def claim(user_id: int, week_start: dt.date) -> Digest | None:
    """Take the user's week: the unique (user, week_start) row decides; None when it was taken."""
    try:
        with transaction.atomic():
            return Digest.objects.create(
                user_id=user_id, week_start=week_start, status=DigestStatus.SENDING, attempts=1
            )
    except IntegrityError:
        return None


def take_attempt(digest_id: int) -> bool:
    """Count one more attempt on a claimed row; False when it is no longer `sending` (sent,
    swept or given up), so a retry delivered twice still sends at most once. The claim time is
    refreshed: the sweep measures an hour from the last attempt."""
    return bool(
        Digest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(
            attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
    )


def _mark_sent(digest_id: int) -> None:
    # Known delivered: the truth wins even over a sweep that thought the worker dead.
    Digest.objects.filter(pk=digest_id).update(status=DigestStatus.SENT, sent_at=timezone.now(), last_error="")


def _record_refusal(digest_id: int, error: BaseException) -> None:
    Digest.objects.filter(pk=digest_id).update(last_error=f"{type(error).__name__}: {error}"[:2000])


def give_up(digest_id: int, reason: str | None = None) -> None:
    updates: dict[str, str] = {"status": DigestStatus.FAILED}
    if reason:
        updates["last_error"] = reason
    if Digest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(**updates):
        log.warning("digest=%s status=failed reason=%r", digest_id, reason or "retries exhausted")


def backoff(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` refused ones: BASE, 2 BASE, 4 BASE ..."""
    return min(settings.DIGEST_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def deliver(digest_id: int, message: EmailMessage, connection: BaseEmailBackend) -> BaseException | None:
    """Hand one message to the mail server; None when it took it (the row is then `sent`),
    else the error, recorded on the row."""
    try:
        connection.send_messages([message])
    except NOT_DELIVERED as error:
        log.warning("digest=%s refused=%r", digest_id, error)
        _record_refusal(digest_id, error)
        # A refused conversation may leave the connection unusable: start the next one afresh.
        with contextlib.suppress(*NOT_DELIVERED):
            connection.close()
        return error
    _mark_sent(digest_id)
    return None


def send_batch(items: list[Due], now: dt.datetime) -> BatchResult:
    """Claim and send each user's week; the work of one task (or of the command, inline).

    The batch's content is loaded set-wise (a few queries for all its users) and
    its messages go over one SMTP connection.
    """
    result = BatchResult()
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=[i.user_id for i in items], digest_enabled=True).filter(email_is_verified())
    }
    data = DigestData(users.values(), now)
    claimed: list[tuple[Digest, User]] = []
    for item in items:
        user = users.get(item.user_id)
        # No subject: no email and no row (the user may add one before next week).
        digest = claim(item.user_id, item.week_start) if user and data.covered_count(user.pk) else None
        if user is None or digest is None:
            result.skipped.append(item.user_id)
            continue
        claimed.append((digest, user))
    if not claimed:
        return result
    connection = get_connection(fail_silently=False)
    unreachable: BaseException | None = None
    try:
        for digest, user in claimed:
            if unreachable:
                # The server could not be reached a moment ago: do not wait out a connection
                # timeout per user (a batch would outlive its time limit); retry them all later.
                _record_refusal(digest.pk, unreachable)
                result.refused.append(digest.pk)
                continue
            try:
                message = build_message(user, digest.week_start, data, connection)
            except Exception as error:  # noqa: BLE001 - recorded on the row, and the batch goes on
                log.exception("digest=%s could not be built", digest.pk)
                give_up(digest.pk, f"could not build the email: {type(error).__name__}: {error}")
                result.failed.append(digest.pk)
                continue
            refusal = deliver(digest.pk, message, connection)
            (result.refused if refusal else result.sent).append(digest.pk)
            if refusal and not isinstance(refusal, smtplib.SMTPResponseException):
                unreachable = refusal
    finally:
        with contextlib.suppress(*NOT_DELIVERED):
            connection.close()
    return result


def resend(digest_id: int, now: dt.datetime) -> str:
    """One more attempt at a refused send: "sent", "refused" (try again later) or "gone"
    (no longer ours to send: sent, swept, given up, or the user turned the summary off)."""
    if not take_attempt(digest_id):
        return "gone"
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    if not digest.user.digest_enabled:
        give_up(digest_id, "the weekly summary was turned off before a retry")
        return "gone"
    data = DigestData([digest.user], now)
    if not data.covered_count(digest.user_id):
        give_up(digest_id, "no subject left to report on")
        return "gone"
    connection = get_connection(fail_silently=False)
    try:
        message = build_message(digest.user, digest.week_start, data, connection)
        return "refused" if deliver(digest_id, message, connection) else "sent"
    finally:
        with contextlib.suppress(*NOT_DELIVERED):
            connection.close()


def attempts_of(digest_id: int) -> int:
    return Digest.objects.filter(pk=digest_id).values_list("attempts", flat=True).first() or 0


def sweep_stale(now: dt.datetime) -> list[int]:
    """Rows still `sending` an hour after their last attempt belong to a worker that died
    mid-send: mark them failed (never resend: the email may have gone out) and log each."""
    swept = []
    stale = Digest.objects.filter(status=DigestStatus.SENDING, claimed_at__lt=now - STALE_AFTER)
    for pk, user_id, week_start in stale.values_list("pk", "user_id", "week_start"):
        updated = Digest.objects.filter(pk=pk, status=DigestStatus.SENDING).update(
            status=DigestStatus.FAILED, last_error="the send did not finish within an hour (worker stopped?)"
        )
        if updated:
            log.warning("digest=%s user=%s week=%s swept=failed", pk, user_id, week_start)
            swept.append(pk)
    return swept


