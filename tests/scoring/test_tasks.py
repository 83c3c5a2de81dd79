"""The score tasks, called as the worker calls them: today's snapshots, and a workspace's recompute."""

import datetime as dt

from influence.core.models import ScoreSnapshot, SnapshotRun
from influence.core.models.scores import ScoreRecompute
from influence.scoring import recompute
from influence.scoring.parameters import Parameters
from influence.scoring.queue import queue_workspace_recompute
from influence.scoring.tasks import recompute_workspace, snapshot_all_subjects, snapshot_chunk
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory


def test_the_daily_task_stores_todays_snapshot_of_every_subject_once(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 0, 15, tzinfo=dt.UTC))
    other = SubjectFactory(workspace=history.workspace)
    ObservationFactory(account=AccountFactory(subject=other, network="mastodon"), day=dt.date(2026, 3, 1), value=50)
    for _ in range(2):
        assert snapshot_all_subjects() == 2
        # The task queues chunks for the workers; here they run in this process.
        for chunk in SnapshotRun.objects.latest("pk").chunks.all():
            assert snapshot_chunk(chunk.pk) == 2
    today = ScoreSnapshot.objects.filter(day=dt.date(2026, 3, 10))
    assert sorted(today.values_list("subject_id", flat=True)) == sorted([history.pk, other.pk])
    assert ScoreSnapshot.objects.count() == 2


def test_a_workspace_recompute_rebuilds_every_subject_and_records_its_progress(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    history.workspace.score_parameters = {"k": 40}
    history.workspace.save()
    run = queue_workspace_recompute(history.workspace)
    written = recompute_workspace(history.workspace.pk, run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.finished_at is not None
    assert run.days_done == run.days_total == written == (dt.date(2026, 3, 1) - dt.date(2026, 1, 1)).days + 1
    assert run.subjects_done == run.subjects_total == 1
    assert set(ScoreSnapshot.objects.values_list("model_version", flat=True)) == {Parameters(k=40).version}
    assert recompute.progress_json(run)["percent"] == 100


def test_an_older_recompute_stops_when_a_newer_one_was_queued(history):
    older = queue_workspace_recompute(history.workspace)
    queue_workspace_recompute(history.workspace)
    assert recompute_workspace(history.workspace.pk, older.pk) == 0
    older.refresh_from_db()
    assert older.state == ScoreRecompute.State.SUPERSEDED
    assert not ScoreSnapshot.objects.exists()


def test_a_recompute_of_a_deleted_workspace_does_nothing(db):
    assert recompute_workspace(999_999) == 0
