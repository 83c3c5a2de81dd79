"""Today's snapshot of every subject, fanned out in chunks that any worker process can take.

The beat task records a SnapshotRun and its chunks (start_run) and queues one
task per chunk; each chunk reads its subjects' inputs in a fixed number of
queries (snapshots.compute_snapshots), writes their snapshots in one upsert and
then claims its completion with a conditional UPDATE, in the same transaction.
A chunk retried after a failure, or delivered twice, therefore writes the same
rows and is counted once; the other chunks are not touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F
from django.utils import timezone

from influence.core.models import SnapshotChunk, SnapshotRun, Subject
from influence.scoring import locks, snapshots

# Subjects per chunk. A chunk pays a fixed cost (building and planning its
# query of the latest values, three round trips, a message, the claim) of
# about forty subjects' scoring, so 500 keeps it to a few per cent. Its 500
# snapshots (some 1.6 KB each) are one INSERT of under a megabyte (below
# snapshots.BATCH_SIZE, so one statement), well under a second of work that a
# retry redoes; and a million subjects still make 2,000 tasks, enough to keep
# every worker process of a fleet busy until the run's end. Much larger chunks
# leave workers idle while the last ones finish and lose more to a failure.
CHUNK_SIZE = 500
# Runs are kept this long for the admin and `manage.py snapshot_runs`; older ones (and their chunks) go.
KEEP_RUNS_DAYS = 30


def start_run(day: dt.date, chunk_size: int = CHUNK_SIZE) -> tuple[SnapshotRun, list[SnapshotChunk]]:
    """Record a run of `day` over every subject, split into chunks of `chunk_size` subjects (by id).

    The caller queues one task per chunk once this is committed. A run with
    no subject is finished at once.
    """
    SnapshotRun.objects.filter(day__lt=day - dt.timedelta(days=KEEP_RUNS_DAYS)).delete()
    subject_ids = list(Subject.objects.order_by("pk").values_list("pk", flat=True))
    parts = [subject_ids[i:i + chunk_size] for i in range(0, len(subject_ids), chunk_size)]
    run = SnapshotRun.objects.create(
        day=day, chunks_total=len(parts), subjects_total=len(subject_ids),
        finished_at=None if parts else timezone.now(),
    )
    chunks = SnapshotChunk.objects.bulk_create(
        SnapshotChunk(run=run, number=number, subject_ids=ids) for number, ids in enumerate(parts, start=1)
    )
    return run, chunks


def score_chunk(chunk_id: int) -> int:
    """Score a chunk's subjects on its run's day and record it done; the number of subjects scored.

    A chunk already finished is left alone (a message delivered twice); one
    that failed part-way wrote nothing (one transaction) and does it all again.
    """
    chunk = SnapshotChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None or chunk.finished_at is not None:
        return 0
    SnapshotChunk.objects.filter(pk=chunk_id).update(attempts=F("attempts") + 1)
    try:
        # The chunk's subjects locked in id order (locks.py) from reading to committing.
        with locks.writing(chunk.subject_ids):
            computed = snapshots.compute_snapshots(chunk.subject_ids, chunk.run.day)
            snapshots.store_snapshots(computed)
            _finish(chunk, len(computed))
    except Exception as exc:
        # Recorded for the admin, then raised again for the task's retry.
        SnapshotChunk.objects.filter(pk=chunk_id).update(error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return len(computed)


def _finish(chunk: SnapshotChunk, scored: int) -> None:
    """Claim the chunk's completion once, add it to the run, and close the run after its last chunk.

    The UPDATE of the run row serialises the chunks finishing together, so the
    one that brings chunks_done to chunks_total sees it and sets finished_at.
    """
    now = timezone.now()
    claimed = SnapshotChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(
        finished_at=now, subjects_scored=scored, error=""
    )
    if not claimed:
        return
    runs = SnapshotRun.objects.filter(pk=chunk.run_id)
    runs.update(chunks_done=F("chunks_done") + 1, subjects_scored=F("subjects_scored") + scored)
    runs.filter(chunks_done=F("chunks_total"), finished_at__isnull=True).update(finished_at=now)


def snapshot_subjects(subject_ids: Sequence[int], day: dt.date, chunk_size: int = CHUNK_SIZE) -> int:
    """Compute and store `day`'s snapshot of the subjects, a chunk at a time, in this process; how many were written.

    What a workspace's recompute uses for today's scores, before it rebuilds each history.
    """
    written = 0
    for start in range(0, len(subject_ids), chunk_size):
        part = subject_ids[start:start + chunk_size]
        with locks.writing(part):
            computed = snapshots.compute_snapshots(part, day)
            snapshots.store_snapshots(computed)
        written += len(computed)
    return written


def latest_runs(count: int = 7) -> list[SnapshotRun]:
    return list(SnapshotRun.objects.order_by("-started_at", "-pk")[:count])
