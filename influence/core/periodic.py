"""The periodic tasks beat runs, created once in django-celery-beat's tables.

Entries are created when missing and otherwise left alone, so that changes made
in the admin (interval, enabled) survive migrations and restarts.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    every_minutes: int | None = None
    crontab: dict[str, str] | None = None


ENTRIES = [
    Entry("Collect: dispatch due accounts", "influence.tasks.collection.dispatch_due_accounts", every_minutes=60),
    Entry(
        "Scores: today's snapshot of every subject",
        "influence.tasks.scores.snapshot_all_subjects",
        crontab={"minute": "15", "hour": "0"},
    ),
    # Follow-up work the broker did not take when it was asked (recomputes after a change) and
    # collections whose claim lapsed (a killed worker): queued again within a minute.
    Entry("Scores: queue pending recomputes", "influence.tasks.scores.queue_pending_work", every_minutes=1),
    Entry(
        "Collect: queue again collections whose claim lapsed",
        "influence.tasks.collection.requeue_expired_claims",
        every_minutes=1,
    ),
    Entry("Digests: dispatch due weekly summaries", "influence.tasks.digests.dispatch_digests", every_minutes=15),
    Entry("Digests: sweep sends that died", "influence.tasks.digests.sweep_stale_digests", every_minutes=15),
]


def ensure_periodic_tasks(**kwargs: Any) -> None:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for entry in ENTRIES:
        if PeriodicTask.objects.filter(name=entry.name).exists():
            continue
        if entry.every_minutes:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=entry.every_minutes, period=IntervalSchedule.MINUTES
            )
            PeriodicTask.objects.create(name=entry.name, task=entry.task, interval=interval)
        elif entry.crontab is not None:
            crontab, _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **entry.crontab)
            PeriodicTask.objects.create(name=entry.name, task=entry.task, crontab=crontab)
