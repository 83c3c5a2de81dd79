from celery import shared_task


@shared_task(name="influence.tasks.scores.snapshot_all_subjects", time_limit=600)
def snapshot_all_subjects() -> int:
    """Compute today's snapshot of every subject (implemented with the score engine)."""
    return 0
