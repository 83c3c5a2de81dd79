"""The Celery application: configured from Django's settings, tasks found beside their domain."""

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "influence.settings")

app = Celery("influence")
# Every CELERY_* Django setting configures Celery (JSON only, time limits, beat scheduler).
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each domain package keeps its tasks in its own tasks.py.
app.autodiscover_tasks(
    ["influence.core", "influence.collection", "influence.scoring", "influence.digests"], related_name="tasks"
)


@task_prerun.connect(dispatch_uid="influence.celery.close_old_connections")
def _close_old_connections(task: Task | None = None, **kwargs: Any) -> None:
    """Before each task, what Django does before each request: drop broken or aged connections.

    CELERY_DB_REUSE_MAX keeps Celery from opening a new database connection for every task (a
    worker runs thousands of short tasks an hour); connections kept that way must still honour
    CONN_MAX_AGE and CONN_HEALTH_CHECKS, which Django only checks around requests.
    """
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
