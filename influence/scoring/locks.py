"""One writer of a subject's snapshots at a time: PostgreSQL advisory locks keyed by subject id.

Every writer (a history's recompute, the refresh after a collection, the nightly
chunk, a workspace's scores for today) holds its subjects' locks from before it
reads their inputs until its snapshots are committed. A second writer of the
same subject waits, then reads the inputs as they are once the first is done:
the last snapshot written is always computed from the newest inputs, and an
older run never writes over a newer one. A batch takes its subjects' locks in
id order, so two batches never wait on each other in a circle.

The locks are advisory: they hold up no reader and no other write (editing a
subject, adding an activity). Each lock takes an entry in PostgreSQL's shared
lock table while held (`max_locks_per_transaction` x `max_connections`, 6,400
by default): a nightly chunk of 500 subjects holds 500 for under a second.

SQLite (the embedded mode) has no advisory locks and needs none: its
transactions take the database's write lock when they begin.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

# The first key of every lock here (pg_advisory_lock(int, int)): snapshots' own space,
# apart from any other advisory lock of the database. The second is the subject id.
SNAPSHOT_SPACE = 0x5C0E
# Subject ids are bigints; the key is an int. Two ids 2**31 apart share a lock: they only wait for each other.
_KEY_RANGE = 2**31


def _key(subject_id: int) -> int:
    return subject_id % _KEY_RANGE


def _advisory() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def writing(subject_ids: Iterable[int]) -> Iterator[None]:
    """A transaction holding the snapshot locks of the subjects (in id order), released when it ends.

    Read the subjects' inputs and store their snapshots inside it.
    """
    keys = sorted({_key(pk) for pk in subject_ids})
    with transaction.atomic():
        if keys and _advisory():
            with connection.cursor() as cursor:
                # One round trip; the subquery's order is the order the locks are taken in.
                cursor.execute(
                    "SELECT count(pg_advisory_xact_lock(%s, k))"
                    " FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS keys",
                    [SNAPSHOT_SPACE, keys],
                )
        yield


@contextmanager
def held(subject_id: int) -> Iterator[None]:
    """The subject's snapshot lock for a longer piece of work, outside any one transaction.

    What a history's recompute holds from reading its inputs to storing its
    days, so that progress it writes meanwhile is seen at once. Held by the
    database session: released at the end, or when the connection goes away
    (a worker killed mid-way holds nothing).
    """
    if not _advisory():
        yield
        return
    if connection.in_atomic_block:
        # Inside a transaction already (the refresh after a collection): held until it ends,
        # committed or rolled back, like the other writers' locks.
        with writing([subject_id]):
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [SNAPSHOT_SPACE, _key(subject_id)])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SNAPSHOT_SPACE, _key(subject_id)])
        except DatabaseError:
            # A session that cannot say unlock (its server went away) must not keep the lock: closed, it holds none.
            connection.close()
