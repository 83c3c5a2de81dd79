from celery import shared_task


@shared_task(name="influence.tasks.digests.dispatch_digests", time_limit=300)
def dispatch_digests() -> int:
    """Queue the weekly summaries that are due (implemented with the weekly email)."""
    return 0


@shared_task(name="influence.tasks.digests.sweep_stale_digests", time_limit=120)
def sweep_stale_digests() -> int:
    """Mark sends that died mid-way as failed (implemented with the weekly email)."""
    return 0
