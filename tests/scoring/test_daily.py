"""The daily snapshot in chunks: the same snapshots as one subject at a time, a fixed read budget, counted once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from influence.core.choices import ActivityKind, Network
from influence.core.models import ScoreSnapshot, SnapshotChunk, SnapshotRun
from influence.scoring import daily, recompute, snapshots
from influence.scoring.tasks import snapshot_all_subjects, snapshot_chunk
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, SubjectFactory, WorkspaceFactory
from tests.scoring.conftest import START

SNAPSHOT_FIELDS = ["total", "online", "offline", "online_points", "offline_points", "breakdown", "model_version"]


def stored(subject_ids, day):
    rows = ScoreSnapshot.objects.filter(subject_id__in=subject_ids, day=day).values("subject_id", *SNAPSHOT_FIELDS)
    return {row.pop("subject_id"): row for row in rows}


@pytest.fixture
def varied(history):
    """Subjects over two workspaces, one with its own parameters: stale, negative, unscored and missing inputs."""
    tuned = WorkspaceFactory(
        score_parameters={
            "k": 30, "w_offline": 2, "weights": {"github.followers": 3, "mastodon.followers": 0},
            "bases": {"keynote": 12}, "half_lives": {"talk": 30},
        }
    )
    subjects = [history]
    for workspace in (history.workspace, tuned):
        both = SubjectFactory(workspace=workspace)
        github = AccountFactory(subject=both, network=Network.GITHUB)
        mastodon = AccountFactory(subject=both, network=Network.MASTODON)
        manual = AccountFactory(subject=both, network=Network.MANUAL, label="LinkedIn")
        reddit = AccountFactory(subject=both, network=Network.REDDIT)
        for n in range(0, 80, 9):
            day = START + dt.timedelta(days=n)
            ObservationFactory(account=github, metric="followers", day=day, value=50 + n)
            ObservationFactory(account=github, metric="stars", day=day, value=10 * n)
            ObservationFactory(account=mastodon, metric="followers", day=day, value=900 - n)
        # Hand-entered once, long ago: stale after 90 days.
        ObservationFactory(account=manual, metric="followers", day=START - dt.timedelta(days=100), value=5000)
        ObservationFactory(account=reddit, metric="karma", day=START, value=-40)
        ActivityFactory(subject=both, kind=ActivityKind.KEYNOTE, date=START + dt.timedelta(days=3), audience=400)
        ActivityFactory(subject=both, kind=ActivityKind.TALK, date=START + dt.timedelta(days=30), audience=0)
        ActivityFactory(subject=both, kind=ActivityKind.BOARD, date=START, end_date=START + dt.timedelta(days=20))
        ActivityFactory(subject=both, kind=ActivityKind.BOOK, date=START + dt.timedelta(days=200))  # not yet
        subjects.append(both)
        subjects.append(SubjectFactory(workspace=workspace))  # no input at all
    return subjects


@pytest.mark.parametrize("offset", [0, 25, 45, 120])
def test_a_chunk_computes_what_one_subject_at_a_time_computes(varied, offset):
    day = START + dt.timedelta(days=offset)
    ids = [subject.pk for subject in varied]
    snapshots.store_snapshots(snapshots.compute_snapshots(ids, day))
    chunked = stored(ids, day)
    for subject_id in ids:
        snapshots.compute_snapshot(subject_id, day)
    one_by_one = stored(ids, day)
    assert set(chunked) == set(ids)
    assert chunked == one_by_one
    # Not a vacuous comparison: the two workspaces' parameters and the day's inputs show.
    assert len({row["model_version"] for row in chunked.values()}) == 2
    assert chunked[varied[1].pk]["total"] > 0 and chunked[varied[2].pk]["total"] == 0


def test_a_stale_value_is_flagged_by_the_chunk_as_by_the_subject(varied):
    day = START + dt.timedelta(days=25)  # the reddit karma (of START) is current, the hand-entered count is not
    snapshots.store_snapshots(snapshots.compute_snapshots([varied[1].pk], day))
    stale = ScoreSnapshot.objects.get(subject=varied[1], day=day).breakdown["stale"]
    assert [entry["label"] for entry in stale] == [f"LinkedIn: {varied[1].accounts.get(network='manual').handle}"]


def seed_subjects(count):
    workspace = WorkspaceFactory()
    subjects = []
    for _ in range(count):
        subject = SubjectFactory(workspace=workspace)
        for network, metric in ((Network.GITHUB, "followers"), (Network.MASTODON, "followers")):
            account = AccountFactory(subject=subject, network=network)
            for n in range(3):
                ObservationFactory(account=account, metric=metric, day=START + dt.timedelta(days=n), value=10 + n)
        ActivityFactory(subject=subject, date=START)
        subjects.append(subject)
    return [subject.pk for subject in subjects]


def test_a_chunk_reads_its_inputs_in_the_same_queries_for_5_and_for_60_subjects(db):
    ids = seed_subjects(60)
    counts = []
    for size in (5, 60):
        with CaptureQueriesContext(connection) as queries:
            computed = snapshots.compute_snapshots(ids[:size], START + dt.timedelta(days=5))
        assert len(computed) == size
        counts.append(len(queries))
    # The subjects with their parameters, the accounts with their latest values, the activities.
    assert counts == [3, 3]


def test_the_daily_task_splits_the_subjects_into_chunks_by_id(db):
    ids = seed_subjects(7)
    run, chunks = daily.start_run(START, chunk_size=3)
    assert (run.chunks_total, run.subjects_total, run.finished_at) == (3, 7, None)
    assert [(c.number, c.subject_ids) for c in chunks] == [(1, ids[:3]), (2, ids[3:6]), (3, ids[6:])]


def test_each_chunk_writes_its_subjects_once_and_the_last_one_closes_the_run(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 0, 15, tzinfo=dt.UTC))
    ids = seed_subjects(7)
    assert snapshot_all_subjects(chunk_size=3) == 7
    run = SnapshotRun.objects.get()
    chunks = list(run.chunks.order_by("number"))
    for n, chunk in enumerate(chunks, start=1):
        with CaptureQueriesContext(connection) as queries:
            assert snapshot_chunk(chunk.pk) == len(chunk.subject_ids)
        run.refresh_from_db()
        assert (run.chunks_done, run.finished_at is not None) == (n, n == 3)
        # Load the chunk, count an attempt; a savepoint, the subjects' locks (one statement), three reads,
        # the upsert, the subjects' latest scores, the claim and the run's two updates: the same for a
        # chunk of 1 or of 3 subjects.
        assert len(queries) == 13
    assert run.subjects_scored == 7
    assert sorted(ScoreSnapshot.objects.filter(day=dt.date(2026, 1, 10)).values_list("subject_id", flat=True)) == ids


def test_a_chunk_run_twice_writes_and_counts_once(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 0, 15, tzinfo=dt.UTC))
    seed_subjects(4)
    snapshot_all_subjects(chunk_size=2)
    first, second = SnapshotChunk.objects.order_by("number")
    assert snapshot_chunk(first.pk) == 2
    written = list(ScoreSnapshot.objects.order_by("pk").values_list("pk", "computed_at"))
    time_machine.shift(dt.timedelta(minutes=5))
    assert snapshot_chunk(first.pk) == 0
    assert list(ScoreSnapshot.objects.order_by("pk").values_list("pk", "computed_at")) == written
    run = SnapshotRun.objects.get()
    first.refresh_from_db()
    assert (run.chunks_done, run.subjects_scored, run.finished_at, first.attempts) == (1, 2, None, 1)
    assert snapshot_chunk(second.pk) == 2
    run.refresh_from_db()
    assert (run.chunks_done, run.subjects_scored) == (2, 4) and run.finished_at is not None


def test_a_chunk_rewrites_a_snapshot_already_stored_that_day(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 0, 15, tzinfo=dt.UTC))
    history.workspace.score_parameters = {"k": 25}
    history.workspace.save()
    ScoreSnapshot.objects.create(
        subject=history, day=dt.date(2026, 3, 10), total=1, online=1, offline=0, online_points=1, offline_points=0,
        model_version="v1-old",
    )
    snapshot_all_subjects()
    snapshot_chunk(SnapshotChunk.objects.get().pk)
    snapshot = ScoreSnapshot.objects.get(subject=history)
    assert snapshot.model_version != "v1-old" and snapshot.total > 1


def test_an_empty_workspace_makes_a_finished_run_with_no_chunk(db):
    assert snapshot_all_subjects() == 0
    run = SnapshotRun.objects.get()
    assert run.chunks_total == 0 and run.finished_at is not None


def test_runs_older_than_a_month_are_dropped_when_a_new_one_starts(db):
    daily.start_run(START)
    daily.start_run(START + dt.timedelta(days=daily.KEEP_RUNS_DAYS))
    daily.start_run(START + dt.timedelta(days=daily.KEEP_RUNS_DAYS + 1))
    assert sorted(SnapshotRun.objects.values_list("day", flat=True)) == [
        START + dt.timedelta(days=daily.KEEP_RUNS_DAYS), START + dt.timedelta(days=daily.KEEP_RUNS_DAYS + 1)
    ]


def test_the_runs_command_shows_progress_and_the_chunks_left(db, time_machine, capsys):
    time_machine.move_to(dt.datetime(2026, 1, 10, 0, 15, tzinfo=dt.UTC))
    seed_subjects(3)
    snapshot_all_subjects(chunk_size=2)
    first, second = SnapshotChunk.objects.order_by("number")
    snapshot_chunk(first.pk)
    SnapshotChunk.objects.filter(pk=second.pk).update(attempts=2, error="OperationalError: the database went away")
    call_command("snapshot_runs")
    out = capsys.readouterr().out
    assert "2026-01-10" in out and "chunks 1/2  subjects 2/3  not finished" in out
    assert "chunk 2 (1 subjects), 2 attempt(s): OperationalError: the database went away" in out
    snapshot_chunk(second.pk)
    call_command("snapshot_runs")
    assert "chunks 2/2  subjects 3/3  finished in" in capsys.readouterr().out


def test_the_admin_lists_the_runs(admin_client, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 0, 15, tzinfo=dt.UTC))
    run, _chunks = daily.start_run(dt.date(2026, 1, 10))
    assert b"Jan. 10, 2026" in admin_client.get("/admin/core/snapshotrun/").content
    page = admin_client.get(f"/admin/core/snapshotrun/{run.pk}/change/")
    assert page.status_code == 200


def test_a_workspace_recompute_writes_today_as_one_subject_at_a_time_does(varied, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    workspace = varied[0].workspace
    workspace.score_parameters = {"k": 25, "bases": {"talk": 9}}
    workspace.save()
    ids = [subject.pk for subject in varied if subject.workspace_id == workspace.pk]
    recompute.run_workspace_recompute(workspace.pk)
    today = dt.date(2026, 3, 10)
    recomputed = stored(ids, today)
    for subject_id in ids:
        snapshots.compute_snapshot(subject_id, today)
    # The subject without any input has no history, hence no snapshot.
    assert set(recomputed) == set(ids[:2]) and recomputed == stored(ids[:2], today)
    assert ScoreSnapshot.objects.filter(subject_id=ids[0], day__lt=today).count() == 68
