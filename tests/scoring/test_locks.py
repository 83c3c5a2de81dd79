"""One writer of a subject's snapshots at a time: two recomputes in two threads (two database sessions) take turns."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from influence.core.models import Activity, ScoreSnapshot
from influence.scoring import snapshots
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(target, done: threading.Event, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def waiting_for_an_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0] > 0


def test_a_second_recompute_waits_for_the_first_and_an_older_run_never_writes_over_a_newer_one(workspace):
    subject = SubjectFactory(workspace=workspace)
    other = SubjectFactory(workspace=workspace)
    today = timezone.now().date()
    for who in (subject, other):
        account = AccountFactory(subject=who, network="github")
        ObservationFactory(account=account, metric="followers", day=today - dt.timedelta(days=300), value=500)
    snapshots.recompute_history(subject.pk)

    read, release = threading.Event(), threading.Event()

    def paused(done: int, total: int) -> None:
        # Called mid-sweep: the first run has read its inputs (no activity yet) and holds the lock.
        read.set()
        assert release.wait(20)

    errors: list = []
    first_done, second_done, other_done = threading.Event(), threading.Event(), threading.Event()
    first = in_thread(lambda: snapshots.recompute_history(subject.pk, progress=paused), first_done, errors)
    assert read.wait(20)

    # Meanwhile a keynote is saved and its recompute starts: it waits for the first run's lock.
    Activity.objects.create(subject=subject, kind="keynote", title="Keynote", date=today, audience=900)
    second = in_thread(lambda: snapshots.recompute_history(subject.pk), second_done, errors)
    # Another subject's recompute does not wait.
    in_thread(lambda: snapshots.recompute_history(other.pk), other_done, errors)
    assert other_done.wait(20)
    assert not second_done.wait(1.0)
    assert waiting_for_an_advisory_lock()

    release.set()
    first.join(20)
    second.join(20)
    assert first_done.is_set() and second_done.is_set() and errors == []
    # The second run read the inputs after the first had written: today's score counts the keynote.
    assert ScoreSnapshot.objects.get(subject=subject, day=today).offline > 0


def test_the_daily_snapshot_of_a_subject_waits_for_its_running_recompute(workspace):
    from influence.scoring import daily

    subject = SubjectFactory(workspace=workspace)
    today = timezone.now().date()
    account = AccountFactory(subject=subject, network="github")
    ObservationFactory(account=account, metric="followers", day=today - dt.timedelta(days=300), value=500)

    read, release = threading.Event(), threading.Event()

    def paused(done: int, total: int) -> None:
        read.set()
        assert release.wait(20)

    errors: list = []
    first_done, chunk_done = threading.Event(), threading.Event()
    in_thread(lambda: snapshots.recompute_history(subject.pk, progress=paused), first_done, errors)
    assert read.wait(20)
    Activity.objects.create(subject=subject, kind="keynote", title="Keynote", date=today, audience=900)
    in_thread(lambda: daily.snapshot_subjects([subject.pk], today), chunk_done, errors)
    assert not chunk_done.wait(1.0)
    release.set()
    assert first_done.wait(20) and chunk_done.wait(20) and errors == []
    assert ScoreSnapshot.objects.get(subject=subject, day=today).offline > 0
