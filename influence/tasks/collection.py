from celery import shared_task


@shared_task(name="influence.tasks.collection.dispatch_due_accounts", time_limit=300)
def dispatch_due_accounts() -> int:
    """Queue one collection per due account (implemented with scheduled collection)."""
    return 0
