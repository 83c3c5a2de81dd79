"""status.json: whether a subject's page still waits for work after a change, and the version of its newest snapshot."""

import datetime as dt
from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone

from influence.core.models import PendingWork
from influence.scoring import queue, snapshots
from influence.scoring.tasks import run_pending_work
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory, WorkspaceFactory
from tests.support.queries import query_counts


@pytest.fixture
def scored_subject(subject):
    """A subject with a score history from one GitHub account, and no work pending."""
    account = AccountFactory(subject=subject, network="github")
    ObservationFactory(account=account, metric="followers", day=snapshots.today() - dt.timedelta(days=5), value=500)
    snapshots.recompute_history(subject.pk)
    assert not PendingWork.objects.exists()
    return subject


def status(client, subject) -> dict:
    response = client.get(reverse("subject_status", args=[subject.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def add_talk(client, subject):
    response = client.post(
        reverse("activity_create", args=[subject.pk]),
        {"kind": "keynote", "title": "Keynote", "date": (snapshots.today() - dt.timedelta(days=2)).isoformat(),
         "audience": "900"},
    )
    assert response.status_code == 302


def test_a_subject_with_nothing_in_flight_is_done_with_its_newest_snapshot_as_version(owner_client, scored_subject):
    data = status(owner_client, scored_subject)
    newest = scored_subject.snapshots.order_by("-day").first()
    assert data == {
        "pending": False, "recomputing": False, "collecting": False, "parameters": False,
        "version": f"{newest.day.isoformat()}@{newest.computed_at.isoformat()}",
    }


def test_a_subject_without_a_score_has_an_empty_version(owner_client, subject):
    assert status(owner_client, subject) == {
        "pending": False, "recomputing": False, "collecting": False, "parameters": False, "version": "",
    }


def test_an_added_activity_is_pending_until_its_recompute_ran_then_the_version_changed(owner_client, scored_subject):
    before = status(owner_client, scored_subject)
    add_talk(owner_client, scored_subject)
    pending = status(owner_client, scored_subject)
    assert pending["pending"] and pending["recomputing"] and not pending["collecting"]
    # Nothing written yet: the page keeps its score until the snapshot lands.
    assert pending["version"] == before["version"]

    run_pending_work(PendingWork.objects.get(subject=scored_subject).pk)
    done = status(owner_client, scored_subject)
    assert not done["pending"] and not done["recomputing"]
    assert done["version"] and done["version"] != before["version"]


def test_a_live_collection_claim_is_pending_and_a_lapsed_one_is_not(owner_client, scored_subject, settings):
    now = timezone.now()
    account = scored_subject.accounts.get()
    account.queued_at, account.claimed_until = now, now + dt.timedelta(minutes=5)
    account.save(update_fields=["queued_at", "claimed_until"])
    data = status(owner_client, scored_subject)
    assert data["pending"] and data["collecting"] and not data["recomputing"]

    account.claimed_until = now - dt.timedelta(seconds=1)
    account.save(update_fields=["claimed_until"])
    assert not status(owner_client, scored_subject)["pending"]


def test_the_workspace_parameter_recompute_is_pending_for_its_subjects_only(owner_client, scored_subject, workspace):
    queue.queue_workspace_recompute(WorkspaceFactory(name="Elsewhere"))
    assert not status(owner_client, scored_subject)["pending"]
    queue.queue_workspace_recompute(workspace)
    data = status(owner_client, scored_subject)
    assert data["pending"] and data["parameters"] and not data["recomputing"]


def test_another_subjects_work_is_not_this_ones(owner_client, scored_subject, workspace):
    queue.queue_subject_recompute(SubjectFactory(workspace=workspace).pk, None)
    assert not status(owner_client, scored_subject)["pending"]


def test_a_viewer_reads_the_status(viewer_client, scored_subject):
    assert not status(viewer_client, scored_subject)["pending"]


def test_an_outsider_gets_404_for_the_status(outsider_client, scored_subject):
    assert outsider_client.get(reverse("subject_status", args=[scored_subject.pk])).status_code == 404


def test_the_status_reads_a_fixed_number_of_queries_whatever_the_accounts_and_work(
    owner_client, workspace, scored_subject, django_assert_max_num_queries
):
    busy = SubjectFactory(workspace=workspace)
    for _ in range(5):
        AccountFactory(subject=busy, queued_at=timezone.now())
    ObservationFactory(account=busy.accounts.first(), day=snapshots.today() - dt.timedelta(days=40))
    snapshots.recompute_history(busy.pk)
    queue.queue_subject_recompute(busy.pk, None)
    queue.queue_workspace_recompute(workspace)
    # Session and user, then the subject with its work (one query) and the membership.
    read = partial(status, owner_client)
    counts = query_counts(django_assert_max_num_queries, STATUS_QUERIES, read, (scored_subject, busy))
    assert counts[0] == counts[1]


STATUS_QUERIES = 4


def test_the_subject_page_marks_itself_pending_after_a_change(owner_client, scored_subject):
    url = reverse("subject_detail", args=[scored_subject.pk])
    page = owner_client.get(url).content.decode()
    assert 'data-pending=""' in page and "js/live.js" in page
    add_talk(owner_client, scored_subject)
    page = owner_client.get(url).content.decode()
    assert 'data-pending="1"' in page
    assert f'data-status-url="{reverse("subject_status", args=[scored_subject.pk])}"' in page
