"""Scoring work asked for by a change elsewhere: a subject's history from a day, a workspace's whole history.

The need is written as a PendingWork row in the change's own transaction, so
it cannot be lost: once the change commits the row is handed to the broker
(its task deletes it when the work is done). A broker that refuses (Redis
down, the embedded mode's folders missing) is logged and nothing more: the
change stays saved, the page answers, and the every-minute beat task
(queue_pending_work) hands the row over once the broker is back. A row is
marked queued by a conditional UPDATE before it is sent, so the commit hook
and the beat task never both send it.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from influence import scoring
from influence.core.models import PendingWork, SnapshotChunk, Workspace
from influence.core.models.scores import ScoreRecompute

logger = logging.getLogger(__name__)

Kind = PendingWork.Kind
# A row handed to the broker this long ago and still here was lost on the way (a message the
# broker dropped, a publish that failed after the row was marked): it is queued again. Longer
# than the broker's visibility timeout, after which Redis itself gives an unfinished task again.
REQUEUE_AFTER = dt.timedelta(hours=3)
# Rows the beat task hands over per run (every minute).
BATCH = 1000
RUN_TASK = "influence.tasks.scores.run_pending_work"
CHUNK_TASK = "influence.tasks.scores.snapshot_chunk"
# How a nightly chunk the broker refused is marked (its error, shown in the admin) until it is sent.
NOT_QUEUED = "not queued yet: the broker refused"


def queue_subject_recompute(subject_id: int, since: dt.date | None) -> PendingWork:
    """Rebuild the subject's scores from `since` (None: its first input) to today, once this transaction commits.

    Merged into the subject's pending row not yet queued, if there is one (the
    earlier day wins), so a burst of changes makes one recompute.
    """
    with transaction.atomic():
        work = (
            PendingWork.objects.select_for_update()
            .filter(kind=Kind.SUBJECT, subject_id=subject_id, queued_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if work is None:
            work = PendingWork.objects.create(kind=Kind.SUBJECT, subject_id=subject_id, since=since)
        elif work.since is not None and (since is None or since < work.since):
            work.since = since
            work.save(update_fields=["since"])
        pk = work.pk
        transaction.on_commit(lambda: send(pk))
    return work


def queue_workspace_recompute(workspace: Workspace) -> ScoreRecompute:
    """Record a recompute of the workspace's history and queue it once the transaction commits."""
    with transaction.atomic():
        run = ScoreRecompute.objects.create(
            workspace=workspace,
            model_version=scoring.Parameters.from_overrides(workspace.score_parameters).version,
            subjects_total=workspace.subjects.count(),
        )
        pk = PendingWork.objects.create(kind=Kind.WORKSPACE, recompute=run).pk
        transaction.on_commit(lambda: send(pk))
    return run


def _claimable(now: dt.datetime) -> Q:
    return Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)


def send(pk: int, now: dt.datetime | None = None) -> bool | None:
    """Hand one pending row to the broker: True when sent, None when queued already or done, False when refused.

    Never raises for the broker: a failure is logged and the row waits for the beat task.
    """
    now = now or timezone.now()
    if not PendingWork.objects.filter(_claimable(now), pk=pk).update(queued_at=now, attempts=F("attempts") + 1):
        return None
    try:
        # By name: tasks.py imports this module. Routed to the scoring queue like every score task.
        current_app.send_task(RUN_TASK, args=(pk,), ignore_result=True)
    except Exception as exc:  # noqa: BLE001 - whatever the broker raised, the row stays for later
        logger.warning("pending work %s not queued (%s: %s); it will be queued again", pk, type(exc).__name__, exc)
        PendingWork.objects.filter(pk=pk, queued_at=now).update(
            queued_at=None, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    return True


def queue_pending(now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Hand the rows not queued (or lost on the way) to the broker, oldest first; how many were sent.

    Stops at the first refusal: the broker is still away, the next run tries again.
    The nightly run's chunks the broker refused are sent again too.
    """
    now = now or timezone.now()
    sent = send_refused_chunks(limit)
    for pk in PendingWork.objects.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True)[:limit]:
        outcome = send(pk, now)
        if outcome is False:
            break
        sent += bool(outcome)
    return sent


def send_chunks(chunk_ids: list[int]) -> int:
    """Queue the nightly run's chunks; those the broker refused are marked so and sent by queue_pending later.

    Never raises for the broker; returns how many were sent.
    """
    for sent, pk in enumerate(chunk_ids):
        try:
            current_app.send_task(CHUNK_TASK, args=(pk,))
        except Exception as exc:  # noqa: BLE001 - whatever the broker raised, the chunks say what is left
            logger.warning(
                "snapshot chunks not queued: %d (%s: %s); queued again within a minute",
                len(chunk_ids) - sent, type(exc).__name__, exc,
            )
            SnapshotChunk.objects.filter(pk__in=chunk_ids[sent:], finished_at__isnull=True).update(
                error=f"{NOT_QUEUED} ({type(exc).__name__}: {exc})"[:2000]
            )
            return sent
    return len(chunk_ids)


def send_refused_chunks(limit: int = BATCH) -> int:
    """Queue again the chunks the broker refused (marked by send_chunks); each is taken by one caller only."""
    sent = 0
    refused = SnapshotChunk.objects.filter(finished_at__isnull=True, attempts=0, error__startswith=NOT_QUEUED)
    for pk in refused.order_by("pk").values_list("pk", flat=True)[:limit]:
        if SnapshotChunk.objects.filter(pk=pk, error__startswith=NOT_QUEUED).update(error=""):
            if not send_chunks([pk]):
                break
            sent += 1
    return sent


def pending_summary(now: dt.datetime | None = None) -> dict[str, int]:
    """How much work waits: rows not queued yet, rows queued and not done, and rows lost on the way."""
    now = now or timezone.now()
    rows = PendingWork.objects.all()
    return {
        "waiting": rows.filter(queued_at__isnull=True).count(),
        "queued": rows.filter(queued_at__gte=now - REQUEUE_AFTER).count(),
        "lost": rows.filter(queued_at__lt=now - REQUEUE_AFTER).count(),
    }
