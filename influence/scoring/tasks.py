import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from influence.core.models import Subject, Workspace
from influence.scoring import daily, recompute, snapshots


@shared_task(name="influence.tasks.scores.snapshot_all_subjects", time_limit=600, soft_time_limit=580)
def snapshot_all_subjects(chunk_size: int = daily.CHUNK_SIZE) -> int:
    """Queue today's snapshot of every subject in chunks (daily.py); the number of subjects."""
    with transaction.atomic():
        run, chunks = daily.start_run(snapshots.today(), chunk_size)
        for chunk in chunks:
            snapshot_chunk.delay_on_commit(chunk.pk)
    return run.subjects_total


# A database that went away, a deadlock or a cancelled statement fails the chunk as a whole
# (one transaction), so it is retried alone, a few times with a growing delay.
@shared_task(
    name="influence.tasks.scores.snapshot_chunk",
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=300,
    time_limit=300,
    soft_time_limit=280,
)
def snapshot_chunk(chunk_id: int) -> int:
    """Score one chunk of a daily run; idempotent, and counted once however often it runs."""
    return daily.score_chunk(chunk_id)


@shared_task(name="influence.tasks.scores.recompute_subject", time_limit=600, soft_time_limit=580)
def recompute_subject(subject_id: int, since: str | None = None) -> int:
    """Rebuild a subject's snapshots from `since` (ISO date; default its first input) to today."""
    if not Subject.objects.filter(pk=subject_id).exists():
        return 0
    return snapshots.recompute_history(subject_id, since=dt.date.fromisoformat(since) if since else None)


@shared_task(name="influence.tasks.scores.recompute_workspace", time_limit=3600, soft_time_limit=3540)
def recompute_workspace(workspace_id: int, run_id: int | None = None) -> int:
    """Rebuild every subject's history in a workspace (after its parameters changed), with progress."""
    if not Workspace.objects.filter(pk=workspace_id).exists():
        return 0
    return recompute.run_workspace_recompute(workspace_id, run_id)
