"""Adding an activity moves the subject's score: through the task, and through a real worker."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from influence.core.models import PendingWork, ScoreSnapshot
from influence.scoring import snapshots
from influence.scoring.tasks import run_pending_work
from tests.factories import AccountFactory, ObservationFactory
from tests.support.waiting import wait_until


def run_pending() -> None:
    """Run the recompute recorded with the change, as the worker does; it clears its record."""
    (work,) = PendingWork.objects.all()
    run_pending_work(work.pk)
    assert not PendingWork.objects.exists()


def snapshot_today(subject) -> ScoreSnapshot | None:
    return ScoreSnapshot.objects.filter(subject=subject, day=timezone.now().date()).first()


@pytest.fixture
def online_subject(subject, frozen_today):
    """A subject with a score from one GitHub account, before any activity."""
    account = AccountFactory(subject=subject, network="github")
    ObservationFactory(account=account, metric="followers", day=frozen_today - dt.timedelta(days=5), value=500)
    snapshots.recompute_history(subject.pk)
    return subject


def test_adding_an_activity_queues_the_recompute_that_raises_the_score(
    editor_client, online_subject, django_capture_on_commit_callbacks
):
    before = snapshot_today(online_subject)
    assert before.offline == 0 and before.total > 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(reverse("activity_create", args=[online_subject.pk]),
                           {"kind": "keynote", "title": "Opening keynote", "date": "2026-03-01", "audience": "800"})
    assert len(callbacks) == 1
    run_pending()
    after = snapshot_today(online_subject)
    assert after.total > before.total
    assert after.offline > 0
    assert after.breakdown["kinds"]["keynote"]["count"] == 1
    # The history now starts on the keynote's day, before the first observation.
    first = ScoreSnapshot.objects.filter(subject=online_subject).order_by("day").first()
    assert (first.day, first.online) == (dt.date(2026, 3, 1), 0)
    assert first.offline > 0


def test_deleting_the_activity_brings_the_score_back(
    editor_client, online_subject, django_capture_on_commit_callbacks
):
    before = snapshot_today(online_subject).total
    with django_capture_on_commit_callbacks(execute=False):
        editor_client.post(reverse("activity_create", args=[online_subject.pk]),
                           {"kind": "book", "title": "My book", "date": "2026-01-10"})
    run_pending()
    assert snapshot_today(online_subject).total > before
    online_subject.refresh_from_db()
    assert online_subject.score_total == pytest.approx(snapshot_today(online_subject).total)
    activity = online_subject.activities.get()
    with django_capture_on_commit_callbacks(execute=False):
        editor_client.post(reverse("activity_delete", args=[activity.pk]))
    run_pending()
    assert snapshot_today(online_subject).total == pytest.approx(before)
    # The home page's copy of the latest score follows.
    online_subject.refresh_from_db()
    assert online_subject.score_total == pytest.approx(before)


@pytest.mark.worker
def test_a_real_worker_updates_the_score_after_an_activity_is_added(celery_worker_factory, editor_client, subject):
    celery_worker_factory(concurrency=1)
    assert not ScoreSnapshot.objects.filter(subject=subject).exists()
    today = timezone.now().date()
    talk_day = today - dt.timedelta(days=3)
    response = editor_client.post(
        reverse("activity_create", args=[subject.pk]),
        {"kind": "talk", "title": "Talk at the meetup", "date": talk_day.isoformat(), "audience": "120"},
    )
    assert response.status_code == 302
    # The worker runs in another process, on its own clock: its history ends on its today, which
    # is this test's today or, in a run across midnight, the day after.
    last = wait_until(
        lambda: ScoreSnapshot.objects.filter(subject=subject, day__gte=today).order_by("-day").first(),
        what="the worker's snapshot of today",
    )
    assert (last.day - today).days in (0, 1)
    assert last.total > 0
    assert last.breakdown["kinds"]["talk"]["count"] == 1
    days = ScoreSnapshot.objects.filter(subject=subject).dates("day", "day")
    assert list(days) == [talk_day + dt.timedelta(days=n) for n in range((last.day - talk_day).days + 1)]
