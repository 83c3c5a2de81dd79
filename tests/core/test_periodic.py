"""The entries beat runs, created in django-celery-beat's tables (influence/core/periodic.py)."""

from django_celery_beat.models import PeriodicTask

from influence.celery import app
from influence.core.periodic import ENTRIES, ensure_periodic_tasks


def test_beat_runs_the_dispatcher_hourly(db):
    task = "influence.tasks.collection.dispatch_due_accounts"
    ensure_periodic_tasks()
    entry = PeriodicTask.objects.get(task=task)
    assert (entry.interval.every, entry.interval.period) == (60, "minutes")
    assert any(e.task == task for e in ENTRIES)


def test_every_entry_names_a_task_the_worker_knows():
    app.loader.import_default_modules()
    assert {e.task for e in ENTRIES} <= set(app.tasks)
