"""The latest score and changes kept on each subject follow every write of its snapshots."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from influence.core.models import ScoreSnapshot, Subject
from influence.reports.summaries import shown
from influence.scoring import daily, latest, recompute, snapshots
from tests.factories import ScoreSnapshotFactory, SubjectFactory
from tests.scoring.conftest import START

END = START + dt.timedelta(days=59)
KEPT = ["score_day", "score_total", "score_change_7d", "score_change_30d", "score_stale"]


def from_snapshots(subject: Subject) -> dict:
    """What the subject should keep, worked out here from all its snapshots."""
    rows = list(ScoreSnapshot.objects.filter(subject=subject).order_by("day").values_list("day", "total", "breakdown"))
    if not rows:
        return dict.fromkeys(KEPT)
    day, total, breakdown = rows[-1]
    kept = {"score_day": day, "score_total": total, "score_stale": breakdown.get("stale")}
    for days in (7, 30):
        earlier = [t for d, t, _ in rows if day - dt.timedelta(days=90) <= d <= day - dt.timedelta(days=days)]
        kept[f"score_change_{days}d"] = shown(total) - shown(earlier[-1]) if earlier else None
    return kept


def kept(subject: Subject) -> dict:
    return Subject.objects.filter(pk=subject.pk).values(*KEPT).get()


def test_a_recomputed_history_leaves_its_latest_score_and_changes_on_the_subject(history):
    assert kept(history) == dict.fromkeys(KEPT)

    snapshots.recompute_history(history.pk, until=END)

    values = kept(history)
    assert values == from_snapshots(history)
    assert values["score_day"] == END and values["score_change_30d"] is not None
    assert values["score_stale"] == []


def test_the_nightly_chunk_moves_the_latest_score_to_its_day(history):
    snapshots.recompute_history(history.pk, until=END)
    untouched = SubjectFactory(workspace=history.workspace)  # no input: a snapshot of nothing

    _, chunks = daily.start_run(END + dt.timedelta(days=3), chunk_size=1)
    assert [daily.score_chunk(chunk.pk) for chunk in chunks] == [1, 1]

    values = kept(history)
    assert values == from_snapshots(history)
    # Three days without a snapshot: the 7-day change counts from the last one at least 7 days before.
    assert values["score_day"] == END + dt.timedelta(days=3) and values["score_change_7d"] is not None
    assert kept(untouched) == from_snapshots(untouched)


def test_a_workspace_recompute_after_new_parameters_keeps_the_new_score(history, time_machine):
    time_machine.move_to(dt.datetime.combine(END, dt.time(12), tzinfo=dt.UTC))
    snapshots.recompute_history(history.pk, until=END)
    before = kept(history)["score_total"]
    history.workspace.score_parameters = {"weights": {"mastodon.followers": 0.0}}
    history.workspace.save()

    recompute.run_workspace_recompute(history.workspace_id)

    values = kept(history)
    assert values == from_snapshots(history)
    assert values["score_total"] < before


def test_removing_every_input_clears_the_kept_score(history):
    snapshots.recompute_history(history.pk, until=END)
    history.accounts.all().delete()
    history.activities.all().delete()

    snapshots.recompute_history(history.pk, until=END)

    assert not ScoreSnapshot.objects.filter(subject=history).exists()
    assert kept(history) == dict.fromkeys(KEPT)


def test_snapshots_written_in_bulk_are_followed_once_refreshed(subject):
    today = timezone.now().date()
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(subject=subject, day=today - dt.timedelta(days=d), total=60.0 - d, online=30, offline=30.0 - d,
                      online_points=1, offline_points=1, model_version="test")
        for d in range(40)
    )
    assert kept(subject)["score_total"] is None

    assert latest.refresh([subject.pk]) == 1

    assert kept(subject) == from_snapshots(subject)
    assert (kept(subject)["score_change_7d"], kept(subject)["score_change_30d"]) == (7, 30)


def test_the_snapshot_factory_refreshes_its_subject(subject):
    ScoreSnapshotFactory(subject=subject, day=START, total=40.0)
    ScoreSnapshotFactory(subject=subject, day=START + dt.timedelta(days=7), total=47.6)

    assert kept(subject) == {
        "score_day": START + dt.timedelta(days=7), "score_total": 47.6, "score_change_7d": 8,
        "score_change_30d": None, "score_stale": None,
    }


def test_a_change_counts_from_no_further_back_than_90_days(subject):
    ScoreSnapshotFactory(subject=subject, day=START, total=40.0)
    ScoreSnapshotFactory(subject=subject, day=START + dt.timedelta(days=91), total=50.0)

    assert (kept(subject)["score_change_7d"], kept(subject)["score_change_30d"]) == (None, None)


def test_saving_a_subject_read_before_a_snapshot_write_keeps_the_new_score(history):
    snapshots.recompute_history(history.pk, until=END - dt.timedelta(days=10))
    edited = Subject.objects.get(pk=history.pk)  # as an edit form reads it
    snapshots.recompute_history(history.pk, until=END)

    edited.name = "Renamed"
    edited.save()

    assert Subject.objects.get(pk=history.pk).name == "Renamed"
    assert kept(history) == from_snapshots(history)
    assert kept(history)["score_day"] == END


def test_the_migration_fills_the_copies_of_the_snapshots_already_stored(history):
    snapshots.recompute_history(history.pk, until=END)
    expected = kept(history)
    Subject.objects.filter(pk=history.pk).update(**dict.fromkeys(KEPT))
    migration = importlib.import_module("influence.core.migrations.0009_subject_scores")

    migration.fill_latest_scores(apps, None)

    assert kept(history) == expected


@pytest.mark.parametrize("count", [1, 30])
def test_refreshing_is_one_update_for_any_number_of_subjects(workspace, count, django_assert_num_queries):
    subjects = Subject.objects.bulk_create([Subject(workspace=workspace, name=f"S{n}") for n in range(count)])
    with django_assert_num_queries(1):
        latest.refresh(subject.pk for subject in subjects)
