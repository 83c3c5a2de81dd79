import datetime as dt

from celery import shared_task

from influence.core.models import Subject, Workspace
from influence.scoring import recompute, snapshots


@shared_task(name="influence.tasks.scores.snapshot_all_subjects", time_limit=600, soft_time_limit=580)
def snapshot_all_subjects() -> int:
    """Compute today's snapshot of every subject."""
    count = 0
    for subject_id in Subject.objects.values_list("pk", flat=True).iterator():
        snapshots.compute_snapshot(subject_id)
        count += 1
    return count


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
