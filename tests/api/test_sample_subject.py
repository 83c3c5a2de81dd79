"""The sample story through the API: it reads like any subject, refuses every change with the
reason the pages give, and can be deleted."""

import datetime as dt

import pytest
from django.urls import reverse

from influence.core.models import Subject
from influence.core.permissions import SAMPLE_READ_ONLY
from influence.demo.story import add_sample_subject
from influence.scoring.snapshots import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(workspace):
    return add_sample_subject(workspace, today())


def refused(response):
    assert response.status_code == 403, response.content
    assert response.json()["error"]["message"] == SAMPLE_READ_ONLY


def test_the_sample_reads_like_any_subject(editor_api, sample):
    assert editor_api.get(reverse("api_subject", args=[sample.pk])).status_code == 200
    assert editor_api.get(reverse("api_subject_scores", args=[sample.pk])).json()["results"]


def test_every_change_to_the_sample_is_refused_with_its_reason(editor_api, sample):
    account = sample.accounts.first()
    activity = sample.activities.first()
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    refused(editor_api.patch(reverse("api_subject", args=[sample.pk]), {"name": "Mine now"}, format="json"))
    refused(editor_api.post(reverse("api_subject_activities", args=[sample.pk]),
                            {"kind": "talk", "title": "T", "date": day}, format="json"))
    refused(editor_api.post(reverse("api_subject_accounts", args=[sample.pk]),
                            {"network": "manual", "handle": "typed"}, format="json"))
    refused(editor_api.post(reverse("api_account_resume", args=[account.pk])))
    refused(editor_api.patch(reverse("api_activity", args=[activity.pk]), {"title": "Renamed"}, format="json"))
    refused(editor_api.delete(reverse("api_activity", args=[activity.pk])))
    sample.refresh_from_db()
    assert sample.name == "Maya Chen" and sample.activities.filter(pk=activity.pk).exists()


def test_the_sample_can_be_deleted(owner_api, sample):
    assert owner_api.delete(reverse("api_subject", args=[sample.pk])).status_code == 204
    assert not Subject.objects.filter(pk=sample.pk).exists()
