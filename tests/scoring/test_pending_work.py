"""Follow-up recomputes are recorded with the change: a broker that refuses loses nothing, and nothing goes twice."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from influence.celery import app
from influence.core.models import PendingWork, ScoreSnapshot
from influence.core.models.scores import ScoreRecompute
from influence.scoring import queue, snapshots
from influence.scoring.tasks import queue_pending_work, run_pending_work
from tests.factories import AccountFactory, ObservationFactory
from tests.scoring.test_parameters_page import valid_data
from tests.support.broker import broker_refusing, queued_messages


@pytest.fixture
def empty_queues():
    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture
def scored_subject(subject):
    """A subject with today's score from one GitHub account, before any activity."""
    account = AccountFactory(subject=subject, network="github")
    ObservationFactory(account=account, metric="followers", day=timezone.now().date() - dt.timedelta(days=5), value=500)
    snapshots.recompute_history(subject.pk)
    return subject


def add_talk(client, subject, day: str = "2026-01-15"):
    return client.post(
        reverse("activity_create", args=[subject.pk]), {"kind": "keynote", "title": "Keynote", "date": day,
                                                         "audience": "900"},
    )


def today_offline(subject) -> float:
    return ScoreSnapshot.objects.get(subject=subject, day=timezone.now().date()).offline


def test_a_change_saved_while_the_broker_refuses_is_recomputed_once_the_beat_task_queues_it(
    editor_client, scored_subject, empty_queues, django_capture_on_commit_callbacks, caplog
):
    with broker_refusing(), caplog.at_level(logging.WARNING, logger="influence.scoring.queue"):
        with django_capture_on_commit_callbacks(execute=True):
            response = add_talk(editor_client, scored_subject)
        # The change is saved and the page answers as usual; the queuing failure is only logged.
        assert response.status_code == 302
        assert scored_subject.activities.count() == 1
        assert "not queued" in caplog.text
        work = PendingWork.objects.get()
        assert (work.subject_id, work.since, work.queued_at, work.attempts) == (
            scored_subject.pk, dt.date(2026, 1, 15), None, 1
        )
        assert "OperationalError" in work.last_error or "Error" in work.last_error
        # While the broker is away the beat task (here run in process) sends nothing and loses nothing.
        assert queue_pending_work() == 0
        assert PendingWork.objects.get().queued_at is None
    assert today_offline(scored_subject) == 0

    # The broker is back: the next minute's run sends the row once; the one after finds it queued.
    assert queue_pending_work() == 1
    assert queue_pending_work() == 0
    assert queued_messages("scoring") == 1
    work.refresh_from_db()
    # Refused on commit, refused by the run during the outage, sent by the first run after it.
    assert work.queued_at is not None and work.attempts == 3

    # The worker's part: the recompute runs and clears the row.
    assert run_pending_work(work.pk) > 0
    assert not PendingWork.objects.exists()
    assert today_offline(scored_subject) > 0


def test_a_change_queues_its_recompute_on_commit_and_marks_it_queued(
    editor_client, scored_subject, empty_queues, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_talk(editor_client, scored_subject)
    work = PendingWork.objects.get()
    assert work.queued_at is not None and work.attempts == 1 and work.last_error == ""
    assert queued_messages("scoring") == 1
    # The beat task leaves a row that is queued (and not lost) alone.
    assert queue_pending_work() == 0
    assert queued_messages("scoring") == 1


def test_changes_made_before_the_row_is_queued_merge_into_one_recompute_from_the_earliest_day(scored_subject):
    queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 3, 1))
    queue.queue_subject_recompute(scored_subject.pk, dt.date(2025, 12, 1))
    queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 4, 1))
    assert list(PendingWork.objects.values_list("since", flat=True)) == [dt.date(2025, 12, 1)]
    # "The whole history" wins over any day.
    queue.queue_subject_recompute(scored_subject.pk, None)
    assert list(PendingWork.objects.values_list("since", flat=True)) == [None]


def test_a_change_after_the_row_was_queued_gets_a_row_of_its_own(scored_subject, empty_queues):
    first = queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 3, 1))
    assert queue.send(first.pk) is True
    queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 5, 1))
    assert PendingWork.objects.count() == 2


def test_a_row_queued_long_ago_and_never_done_is_queued_again(scored_subject, empty_queues):
    work = queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 3, 1))
    now = timezone.now()
    PendingWork.objects.filter(pk=work.pk).update(queued_at=now - queue.REQUEUE_AFTER - dt.timedelta(seconds=1))
    assert queue.queue_pending(now) == 1
    assert queue.queue_pending(now) == 0
    assert queued_messages("scoring") == 1


def test_a_parameter_change_is_recorded_as_workspace_work_and_run_by_its_row(
    owner_client, workspace, scored_subject, django_capture_on_commit_callbacks
):
    with broker_refusing(), django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("workspace_scoring", args=[workspace.pk]), valid_data(k="30"), follow=True
        )
    assert response.status_code == 200
    work = PendingWork.objects.get()
    assert work.kind == PendingWork.Kind.WORKSPACE and work.queued_at is None
    run_pending_work(work.pk)
    assert ScoreRecompute.objects.get(pk=work.recompute_id).state == ScoreRecompute.State.DONE
    assert not PendingWork.objects.exists()


def test_work_whose_row_is_gone_does_nothing(db):
    assert run_pending_work(123_456) == 0


def test_the_command_shows_what_waits_and_queues_it(scored_subject, empty_queues, capsys):
    with broker_refusing():
        work = queue.queue_subject_recompute(scored_subject.pk, dt.date(2026, 3, 1))
        queue.send(work.pk)
    call_command("pending_work")
    out = capsys.readouterr().out
    assert "Recomputes: 1 waiting for the broker, 0 queued" in out
    assert f"#{work.pk} Recompute a subject's scores: subject {scored_subject.pk} from 2026-03-01" in out
    assert "1 attempt(s); last error:" in out
    call_command("pending_work", "--queue")
    out = capsys.readouterr().out
    assert "Queued 1 pending recompute(s)" in out and "Recomputes: 0 waiting for the broker, 1 queued" in out


def test_nightly_chunks_the_broker_refused_are_sent_by_the_next_minutes_run(
    workspace, empty_queues, django_capture_on_commit_callbacks
):
    from influence.core.models import SnapshotChunk
    from influence.scoring.tasks import snapshot_all_subjects
    from tests.factories import SubjectFactory

    SubjectFactory.create_batch(5, workspace=workspace)
    with broker_refusing(), django_capture_on_commit_callbacks(execute=True):
        assert snapshot_all_subjects(chunk_size=2) == 5
        assert queue_pending_work() == 0  # still away: nothing sent, nothing lost
    chunks = SnapshotChunk.objects.all()
    assert chunks.count() == 3 and all(c.error.startswith(queue.NOT_QUEUED) for c in chunks)

    assert queue_pending_work() == 3
    assert queue_pending_work() == 0
    assert queued_messages("scoring") == 3
    assert not SnapshotChunk.objects.exclude(error="").exists()
