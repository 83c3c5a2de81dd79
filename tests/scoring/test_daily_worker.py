"""The daily snapshot fanned out to real Celery workers: every subject once, a failed chunk retried alone."""

import threading

import pytest
from django.db import connection, transaction

from influence.core.models import ScoreSnapshot, SnapshotChunk, SnapshotRun
from influence.scoring import snapshots
from influence.scoring.tasks import snapshot_all_subjects
from tests.scoring.test_daily import seed_subjects
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.worker]


def finished_run() -> SnapshotRun | None:
    return SnapshotRun.objects.filter(finished_at__isnull=False).first()


def test_two_workers_score_every_subject_exactly_once_in_three_chunks(celery_worker_factory):
    ids = seed_subjects(8)
    celery_worker_factory(concurrency=1)
    celery_worker_factory(concurrency=1)
    snapshot_all_subjects.delay(chunk_size=3)
    run = wait_until(finished_run, what="the run to finish")
    assert (run.chunks_total, run.chunks_done, run.subjects_total, run.subjects_scored) == (3, 3, 8, 8)
    today = ScoreSnapshot.objects.filter(day=run.day)
    assert sorted(today.values_list("subject_id", flat=True)) == ids
    assert ScoreSnapshot.objects.count() == 8
    assert list(SnapshotChunk.objects.order_by("number").values_list("attempts", "subjects_scored")) == [
        (1, 3), (1, 3), (1, 2)
    ]


class RowLock:
    """Holds one snapshot row locked from another connection, as a recompute of that subject does while it writes."""

    def __init__(self, snapshot_pk: int):
        self.snapshot_pk = snapshot_pk
        self.locked = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                list(ScoreSnapshot.objects.select_for_update().filter(pk=self.snapshot_pk))
                self.locked.set()
                self.release.wait(60)
        finally:
            connection.close()

    def __enter__(self) -> "RowLock":
        self.thread.start()
        assert self.locked.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(10)


def cancel_the_statement_waiting_for_a_lock() -> bool:
    """What an operator's pg_cancel_backend does to a stuck statement: it fails with "canceling statement"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return any(cancelled for (cancelled,) in cursor.fetchall())


def test_a_chunk_that_fails_is_retried_alone_and_counted_once(celery_worker_factory):
    ids = seed_subjects(8)
    # Chunk 2 (subjects 4 to 6) will meet a locked row of its fifth subject.
    blocked = snapshots.compute_snapshot(ids[4])
    celery_worker_factory(concurrency=2)
    with RowLock(blocked.pk):
        snapshot_all_subjects.delay(chunk_size=3)
        wait_until(lambda: SnapshotRun.objects.filter(chunks_done=2).exists(), what="chunks 1 and 3")
        others = dict(
            ScoreSnapshot.objects.exclude(subject_id__in=ids[3:6]).values_list("subject_id", "computed_at")
        )
        assert sorted(others) == ids[:3] + ids[6:]
        wait_until(cancel_the_statement_waiting_for_a_lock, what="chunk 2 to wait for the locked row")
        error = wait_until(
            lambda: SnapshotChunk.objects.filter(number=2).values_list("error", flat=True).get(),
            what="chunk 2's failure",
        )
        assert error.startswith("OperationalError: canceling statement due to user request")
    run = wait_until(finished_run, what="the run to finish after the retry")
    assert (run.chunks_done, run.subjects_scored) == (3, 8)
    assert ScoreSnapshot.objects.count() == 8
    assert sorted(ScoreSnapshot.objects.filter(day=run.day).values_list("subject_id", flat=True)) == ids
    # The retried chunk ran twice and finished clean; the others ran once and were not written again.
    assert list(SnapshotChunk.objects.order_by("number").values_list("attempts", "error")) == [
        (1, ""), (2, ""), (1, ""),
    ]
    assert dict(ScoreSnapshot.objects.filter(subject_id__in=list(others)).values_list("subject_id", "computed_at")) == (
        others
    )
    assert ScoreSnapshot.objects.get(pk=blocked.pk).computed_at > blocked.computed_at
