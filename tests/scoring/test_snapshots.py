"""Snapshots in the database: the history sweep, its upsert and its query budget."""

import datetime as dt

import pytest

from influence.core.models import ScoreSnapshot
from influence.scoring import snapshots
from influence.scoring.parameters import Parameters
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory
from tests.scoring.conftest import START

END = START + dt.timedelta(days=59)


def snapshot_rows(subject):
    return list(
        ScoreSnapshot.objects.filter(subject=subject).order_by("day").values_list(
            "day", "total", "online", "offline", "online_points", "offline_points", "breakdown", "model_version"
        )
    )


def test_recomputing_twice_in_a_row_gives_identical_snapshots(history):
    assert snapshots.recompute_history(history.pk, until=END) == 60
    first = snapshot_rows(history)
    assert snapshots.recompute_history(history.pk, until=END) == 60
    assert snapshot_rows(history) == first
    assert len(first) == 60 and first[0][0] == START and first[-1][0] == END


def test_each_stored_day_is_what_explaining_that_day_gives(history):
    snapshots.recompute_history(history.pk, until=END)
    for day in (START, START + dt.timedelta(days=25), END):
        stored = ScoreSnapshot.objects.get(subject=history, day=day)
        explained = snapshots.explain_day(history, day)
        assert stored.breakdown == explained.to_json()
        assert stored.total == pytest.approx(explained.total)
        assert stored.online + stored.offline == pytest.approx(stored.total)


def test_changing_the_parameters_changes_the_version_and_the_history(history):
    snapshots.recompute_history(history.pk, until=END)
    before = snapshot_rows(history)
    assert {row[7] for row in before} == {Parameters().version}
    history.workspace.score_parameters = {"k": 30, "bases": {"keynote": 12}}
    history.workspace.save()
    snapshots.recompute_history(history.pk, until=END)
    after = snapshot_rows(history)
    new_version = Parameters.from_overrides({"k": 30, "bases": {"keynote": 12}}).version
    assert new_version != Parameters().version
    assert {row[7] for row in after} == {new_version}
    assert all(a[1] > b[1] for a, b in zip(after, before, strict=True))


def test_the_model_version_is_stable_for_the_same_parameters(history):
    history.workspace.score_parameters = {"k": 45.0, "weights": {"github.followers": 3}}
    history.workspace.save()
    snapshots.recompute_history(history.pk, until=END)
    version = ScoreSnapshot.objects.filter(subject=history).values_list("model_version", flat=True).first()
    assert version == Parameters.from_overrides({"weights": {"github.followers": 3.0}, "k": 45}).version


@pytest.mark.parametrize("days", [10, 1500])
def test_a_recompute_issues_the_same_few_queries_however_long_the_history(
    subject, days, django_assert_max_num_queries
):
    account = AccountFactory(subject=subject, network="mastodon")
    first = dt.date(2020, 1, 1)
    ObservationFactory(account=account, day=first, value=100)
    ObservationFactory(account=account, day=first + dt.timedelta(days=days - 1), value=900)
    # The subject's snapshot lock (in the test's transaction: a savepoint, the lock, its release), subject,
    # first inputs (2), accounts, observations, activities, savepoint, delete, insert, the subject's
    # latest score, release.
    with django_assert_max_num_queries(14):
        written = snapshots.recompute_history(subject.pk, until=first + dt.timedelta(days=days - 1))
    assert written == days
    assert ScoreSnapshot.objects.filter(subject=subject).count() == days


def test_days_before_the_first_input_are_removed_and_days_after_until_are_kept(history):
    snapshots.recompute_history(history.pk, until=END + dt.timedelta(days=5))
    ScoreSnapshot.objects.create(
        subject=history, day=START - dt.timedelta(days=3), total=1, online=1, offline=0, online_points=1,
        offline_points=0, model_version="v1-old",
    )
    snapshots.recompute_history(history.pk, since=START + dt.timedelta(days=30), until=END)
    days = list(ScoreSnapshot.objects.filter(subject=history).values_list("day", flat=True))
    assert min(days) == START
    assert max(days) == END + dt.timedelta(days=5)


def test_since_limits_the_rewritten_days(history):
    snapshots.recompute_history(history.pk, until=END)
    ScoreSnapshot.objects.filter(subject=history).update(model_version="v1-old")
    snapshots.recompute_history(history.pk, since=START + dt.timedelta(days=50), until=END)
    versions = dict(ScoreSnapshot.objects.filter(subject=history).values_list("day", "model_version"))
    assert versions[START + dt.timedelta(days=49)] == "v1-old"
    assert versions[START + dt.timedelta(days=50)] == Parameters().version


def test_a_subject_without_inputs_keeps_no_snapshots(subject):
    ScoreSnapshot.objects.create(
        subject=subject, day=START, total=1, online=1, offline=0, online_points=1, offline_points=0, model_version="x"
    )
    assert snapshots.recompute_history(subject.pk, until=END) == 0
    assert not ScoreSnapshot.objects.filter(subject=subject).exists()


def test_progress_is_reported_until_every_day_is_done(history):
    reports = []
    snapshots.recompute_history(
        history.pk, until=END + dt.timedelta(days=200), progress=lambda done, total: reports.append((done, total))
    )
    assert reports[-1] == (260, 260)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


def test_today_is_the_utc_date(time_machine):
    # 23:30 in New York on 1 March is already 2 March in UTC.
    time_machine.move_to(dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC))
    assert snapshots.today() == dt.date(2026, 3, 2)


def test_compute_snapshot_stores_today_for_one_subject(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC))
    snapshot = snapshots.compute_snapshot(history.pk)
    assert snapshot.day == dt.date(2026, 3, 5)
    assert snapshot.breakdown == snapshots.explain_day(history, dt.date(2026, 3, 5)).to_json()
    other = SubjectFactory(workspace=history.workspace)
    assert not ScoreSnapshot.objects.filter(subject=other).exists()
