"""What a Celery worker running thousands of collections an hour needs set up once.

Imported by influence/tasks/collection.py, so every worker (and every process
that queues collections) runs it.
"""

from __future__ import annotations

import functools

import redis.utils
from celery.signals import task_prerun
from django.db import close_old_connections

# redis-py reads its own version from the package metadata (~0.35 ms of CPU)
# each time a client object is built, and kombu builds one for every message
# it sends, receives or acknowledges, Django's cache one per call: more than
# a millisecond of every collection. The version does not change while running.
redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)


@task_prerun.connect(dispatch_uid="influence.collection.worker.close_old_connections")
def _close_old_connections(task=None, **kwargs) -> None:
    """Before each task, what Django does before each request: drop broken or aged connections.

    CELERY_DB_REUSE_MAX keeps Celery from closing every connection around each
    task; a worker collects thousands of accounts an hour, and a new PostgreSQL
    session for each cost more CPU than the collection itself. Reused
    connections still honour CONN_MAX_AGE and CONN_HEALTH_CHECKS from here.
    """
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
