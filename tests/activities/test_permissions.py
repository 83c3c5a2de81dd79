"""Viewers read but cannot change (403); outsiders see nothing (404); nothing changes either way."""

import datetime as dt

import pytest
from django.urls import reverse

from influence.core.models import Activity
from tests.activities.conftest import activity_rows, csv_text, upload
from tests.factories import ActivityFactory, SubjectFactory

VALID = {"kind": "talk", "title": "Posted talk", "date": "2026-01-10", "audience": "10"}
FILE = csv_text("talk,Imported talk,2026-01-11,,5,,,")


@pytest.fixture
def existing(subject):
    return ActivityFactory(subject=subject, title="Existing talk", date=dt.date(2026, 1, 1))


def posts(subject, activity):
    """Every form that changes activities, as (url, data)."""
    return [
        (reverse("activity_create", args=[subject.pk]), dict(VALID)),
        (reverse("activity_edit", args=[activity.pk]), {**VALID, "title": "Changed"}),
        (reverse("activity_delete", args=[activity.pk]), {}),
        (reverse("activity_import", args=[subject.pk]), {"file": upload(FILE)}),
    ]


def test_a_viewer_posting_any_activity_form_gets_403_and_nothing_changes(viewer_client, subject, existing):
    before = activity_rows(subject)
    for url, data in posts(subject, existing):
        assert viewer_client.post(url, data).status_code == 403, url
    assert activity_rows(subject) == before


def test_a_viewer_gets_403_for_the_pages_that_hold_forms(viewer_client, subject, existing):
    for url in (reverse("activity_create", args=[subject.pk]), reverse("activity_edit", args=[existing.pk]),
                reverse("activity_delete", args=[existing.pk]), reverse("activity_import", args=[subject.pk])):
        assert viewer_client.get(url).status_code == 403, url


def test_a_viewer_can_export_and_download_the_template(viewer_client, subject, existing):
    assert viewer_client.get(reverse("activity_export", args=[subject.pk])).status_code == 200
    assert viewer_client.get(reverse("activity_template")).status_code == 200


def test_an_outsider_gets_404_everywhere_and_nothing_changes(outsider_client, subject, existing):
    before = activity_rows(subject)
    for url, data in posts(subject, existing):
        assert outsider_client.post(url, data).status_code == 404, url
        assert outsider_client.get(url).status_code == 404, url
    assert outsider_client.get(reverse("activity_export", args=[subject.pk])).status_code == 404
    assert activity_rows(subject) == before


def test_an_editor_cannot_reach_the_activities_of_another_workspace(editor_client, subject):
    foreign_subject = SubjectFactory(name="Other agency's client")
    foreign = ActivityFactory(subject=foreign_subject, title="Foreign talk")
    before = activity_rows(foreign_subject)
    for url, data in posts(foreign_subject, foreign):
        assert editor_client.post(url, data).status_code == 404, url
    assert editor_client.get(reverse("activity_export", args=[foreign_subject.pk])).status_code == 404
    assert activity_rows(foreign_subject) == before
    assert subject.activities.count() == 0


def test_a_subject_of_another_workspace_smuggled_into_the_form_is_ignored(editor_client, subject, frozen_today):
    foreign_subject = SubjectFactory()
    response = editor_client.post(
        reverse("activity_create", args=[subject.pk]),
        {**VALID, "subject": foreign_subject.pk, "subject_id": foreign_subject.pk},
    )
    assert response.status_code == 302
    assert list(Activity.objects.values_list("subject_id", flat=True)) == [subject.pk]
    assert foreign_subject.activities.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, subject, existing):
    response = client.get(reverse("activity_template"))
    assert response.status_code == 302
    assert "/login" in response.url
