"""A broker that refuses (nothing listens on its port), and counting the messages in a queue of the real one."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from tests.support.smtp import free_port


def _reset_pools(app) -> None:
    # What Celery does after a fork: the next publish builds its connections from the configuration.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_refusing() -> Iterator[str]:
    """This process's Celery app publishes to a Redis port where nothing listens, for the block's duration."""
    from influence.celery import app

    url = f"redis://127.0.0.1:{free_port()}/0"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    before = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    _reset_pools(app)
    try:
        yield url
    finally:
        if before is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before
        _reset_pools(app)


def queued_messages(kind: str) -> int:
    """Messages waiting in this test run's queue of that kind ("collection", "scoring", "email", "celery")."""
    from influence.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(settings.WORK_QUEUES[kind])
