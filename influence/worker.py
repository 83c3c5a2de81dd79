"""What every Celery worker needs set up once: it runs thousands of short tasks an hour.

Imported by influence/tasks/__init__.py, so every worker (and every process
that queues tasks) runs it.
"""

from __future__ import annotations

import functools

import redis.utils
from celery.app.defaults import DEFAULTS
from celery.signals import task_prerun, worker_init
from django.db import close_old_connections
from kombu.transport import redis as kombu_redis

# redis-py reads its own version from the package metadata (~0.35 ms of CPU)
# each time a client object is built, and kombu builds one for every message
# it sends, receives or acknowledges, Django's cache one per call: more than
# a millisecond of every collection. The version does not change while running.
redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)

_create_client = kombu_redis.Channel._create_client


def _channel_client(self, asynchronous: bool = False):
    """One Redis client per channel and connection pool, instead of one per command.

    kombu builds a client object (its table of ~200 reply parsers copied
    case-insensitively, ~0.1 ms) for every message it marks unacknowledged
    and every acknowledgement: two per task. A client holds no connection of
    its own (each command borrows one from the pool) and may be shared by
    threads; it is rebuilt when the channel replaces its pool.
    """
    if asynchronous:
        return _create_client(self, asynchronous=True)
    pool = self.pool
    cached = self.__dict__.get("_influence_client")
    if cached is None or cached[0] is not pool:
        cached = self._influence_client = (pool, _create_client(self))
    return cached[1]


kombu_redis.Channel._create_client = _channel_client


@worker_init.connect(dispatch_uid="influence.worker.settle_configuration")
def _settle_configuration(sender=None, **kwargs) -> None:
    """Copy Celery's settings, as read at start, into its first lookup table.

    Read from Django's settings through a chain of mappings, each Celery
    setting costs ~10 µs to look up, and Celery looks up a dozen or more for
    every message it sends or receives. A started worker's settings do not
    change; later `app.conf` assignments still override these copies.
    """
    conf = sender.app.conf
    conf.update({key: conf[key] for key in list(conf.keys()) if key in DEFAULTS})


@task_prerun.connect(dispatch_uid="influence.worker.close_old_connections")
def _close_old_connections(task=None, **kwargs) -> None:
    """Before each task, what Django does before each request: drop broken or aged connections.

    CELERY_DB_REUSE_MAX keeps Celery from closing every connection around each
    task; a worker collects thousands of accounts an hour, and a new PostgreSQL
    session for each cost more CPU than the collection itself. Reused
    connections still honour CONN_MAX_AGE and CONN_HEALTH_CHECKS from here.
    """
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
