"""Every save that queues follow-up work answers as usual while the broker refuses: the change is kept, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from influence.celery import app
from influence.collection.tasks import requeue_expired_claims
from influence.core.choices import Network
from influence.core.models import Account, Activity, Observation, PendingWork
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory
from tests.scoring.test_parameters_page import valid_data
from tests.support.broker import broker_refusing, queued_messages


@pytest.fixture
def refusing(django_capture_on_commit_callbacks):
    """The broker refuses, and the commit hooks run as they do outside a test's transaction."""
    app.control.purge()
    with broker_refusing(), django_capture_on_commit_callbacks(execute=True):
        yield
    app.control.purge()


def no_error(response) -> None:
    assert response.status_code < 500
    assert response.status_code in (200, 302)


def test_adding_editing_and_deleting_an_activity(editor_client, subject, refusing):
    no_error(editor_client.post(reverse("activity_create", args=[subject.pk]),
                                {"kind": "talk", "title": "Talk", "date": "2026-03-01"}))
    activity = Activity.objects.get()
    no_error(editor_client.post(reverse("activity_edit", args=[activity.pk]),
                                {"kind": "talk", "title": "Talk", "date": "2026-02-01"}))
    assert Activity.objects.get().date == dt.date(2026, 2, 1)
    no_error(editor_client.post(reverse("activity_delete", args=[activity.pk])))
    assert not Activity.objects.exists()
    # One recompute waits for the broker, from the earliest day the changes touched.
    assert list(PendingWork.objects.values_list("subject_id", "since", "queued_at")) == [
        (subject.pk, dt.date(2026, 2, 1), None)
    ]


def test_entering_counts(owner_client, subject, refusing):
    manual = AccountFactory(subject=subject, network=Network.MANUAL, handle="jane-doe", label="LinkedIn")
    day = timezone.now().date() - dt.timedelta(days=3)
    no_error(owner_client.post(reverse("account_counts", args=[manual.pk]),
                               {"day": day.isoformat(), "followers": "1500", "posts": "", "following": ""}))
    assert Observation.objects.get(account=manual).value == 1500
    assert PendingWork.objects.get().since == day


def test_deleting_an_account(owner_client, subject, refusing):
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    ObservationFactory(account=account)
    no_error(owner_client.post(reverse("account_delete", args=[account.pk])))
    assert not Account.objects.exists()
    assert PendingWork.objects.get().subject_id == subject.pk


def test_saving_the_score_parameters(owner_client, workspace, subject, refusing):
    ActivityFactory(subject=subject)
    response = owner_client.post(reverse("workspace_scoring", args=[workspace.pk]), valid_data(k="30"))
    no_error(response)
    workspace.refresh_from_db()
    assert workspace.score_parameters == {"k": 30.0}
    assert PendingWork.objects.get().kind == PendingWork.Kind.WORKSPACE


def test_collect_now_keeps_the_claim_and_the_next_minute_queues_it(
    owner_client, subject, django_capture_on_commit_callbacks
):
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    app.control.purge()
    with broker_refusing(), django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("account_collect", args=[account.pk]), follow=True)
    assert response.status_code == 200
    account.refresh_from_db()
    # Still claimed (the page says it is on its way), the claim lapsed at once for the requeue to find.
    assert account.queued_at is not None and account.claimed_until <= timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 1
    assert queued_messages("collection") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 0
    assert queued_messages("collection") == 1
    app.control.purge()
