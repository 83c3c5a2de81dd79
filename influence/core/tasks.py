from celery import shared_task


@shared_task(name="influence.tasks.health.ping", time_limit=10, soft_time_limit=8)
def ping(value: str = "pong") -> str:
    """Answer at once: used to check that a worker takes tasks end to end. Safe to run again: it changes nothing."""
    return value
