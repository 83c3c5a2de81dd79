import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from influence.core.models import PendingWork, Subject, Workspace
from influence.scoring import daily, queue, recompute, snapshots

# A database that went away, a deadlock or a cancelled statement: the task's work is one
# transaction, so it is retried as a whole, a few times with a growing delay.
RETRIED_ON_DATABASE_ERRORS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": True,
    "retry_backoff_max": 300,
}


@shared_task(name="influence.tasks.scores.snapshot_all_subjects", time_limit=600, soft_time_limit=580)
def snapshot_all_subjects(chunk_size: int = daily.CHUNK_SIZE) -> int:
    """Queue today's snapshot of every subject in chunks (daily.py); the number of subjects.

    Safe to run again: a second run records a second run of the same day, whose
    chunks write the same snapshots (an upsert on subject and day).
    """
    with transaction.atomic():
        run, chunks = daily.start_run(snapshots.today(), chunk_size)
        ids = [chunk.pk for chunk in chunks]
        # A chunk the broker refuses is marked so and sent by the every-minute queue_pending_work.
        transaction.on_commit(lambda: queue.send_chunks(ids))
    return run.subjects_total


# A chunk fails as a whole (one transaction), so it is retried alone.
@shared_task(
    name="influence.tasks.scores.snapshot_chunk",
    **RETRIED_ON_DATABASE_ERRORS,
    time_limit=300,
    soft_time_limit=280,
)
def snapshot_chunk(chunk_id: int) -> int:
    """Score one chunk of a daily run; idempotent, and counted once however often it runs.

    Safe to run again: its snapshots are one upsert and its completion a
    conditional UPDATE in the same transaction, so a chunk delivered twice
    writes the same rows and is counted once.
    """
    return daily.score_chunk(chunk_id)


@shared_task(name="influence.tasks.scores.recompute_subject", time_limit=600, soft_time_limit=580)
def recompute_subject(subject_id: int, since: str | None = None) -> int:
    """Rebuild a subject's snapshots from `since` (ISO date; default its first input) to today.

    Safe to run again: it rewrites the same days from the same inputs (an upsert
    on subject and day), holding the subject's snapshot lock.
    """
    if not Subject.objects.filter(pk=subject_id).exists():
        return 0
    return snapshots.recompute_history(subject_id, since=dt.date.fromisoformat(since) if since else None)


@shared_task(name="influence.tasks.scores.recompute_workspace", time_limit=3600, soft_time_limit=3540)
def recompute_workspace(workspace_id: int, run_id: int | None = None) -> int:
    """Rebuild every subject's history in a workspace (after its parameters changed), with progress.

    Safe to run again: each subject's history is rewritten the same way, and a
    run already done (or superseded by a newer one) does nothing.
    """
    if not Workspace.objects.filter(pk=workspace_id).exists():
        return 0
    return recompute.run_workspace_recompute(workspace_id, run_id)


# Subject work is a recompute_subject; a workspace's is a recompute_workspace (its time limit).
@shared_task(
    name="influence.tasks.scores.run_pending_work",
    **RETRIED_ON_DATABASE_ERRORS,
    time_limit=3600,
    soft_time_limit=3540,
    ignore_result=True,
)
def run_pending_work(pending_id: int) -> int:
    """Do the recompute a PendingWork row asks for, then delete the row; the number of days written.

    Safe to run again: a row already done is gone (nothing to do), and the
    recomputes themselves are idempotent (above). A row merged with later
    changes before it was queued is read here, so its earliest day is used.
    """
    work = PendingWork.objects.filter(pk=pending_id).first()
    if work is None:
        return 0
    written = 0
    if work.kind == PendingWork.Kind.SUBJECT and work.subject_id:
        written = snapshots.recompute_history(work.subject_id, since=work.since)
    elif work.kind == PendingWork.Kind.WORKSPACE and work.recompute_id:
        run = work.recompute
        if run is not None:
            written = recompute.run_workspace_recompute(run.workspace_id, run.pk)
    PendingWork.objects.filter(pk=pending_id).delete()
    return written


@shared_task(name="influence.tasks.scores.queue_pending_work", time_limit=120, soft_time_limit=110, ignore_result=True)
def queue_pending_work() -> int:
    """Every minute: hand the pending work (and nightly chunks) the broker did not take (or lost) to it again.

    Safe to run again (and two at once): a row is marked queued by a
    conditional UPDATE before it is sent, so each is sent once.
    """
    return queue.queue_pending()
