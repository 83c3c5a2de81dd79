"""API lists read a fixed number of queries, however many rows they page through."""

import datetime as dt

from django.utils import timezone

from influence.scoring.snapshots import compute_snapshot
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, SubjectFactory


def test_subject_list_queries_do_not_grow_with_subjects(owner_api, workspace, django_assert_max_num_queries):
    today = timezone.now().date()
    for n in range(12):
        subject = SubjectFactory(workspace=workspace, name=f"Client {n:02}")
        ObservationFactory(account=AccountFactory(subject=subject), day=today, value=100 + n)
        compute_snapshot(subject.pk, today)
    owner_api.get("/api/v1/subjects/")  # the token's first use is written once
    # The token, the memberships, the count and the page.
    with django_assert_max_num_queries(4):
        response = owner_api.get("/api/v1/subjects/?ordering=-score")
    assert [row["name"] for row in response.json()["results"]][:2] == ["Client 11", "Client 10"]


def test_activity_and_score_lists_queries_do_not_grow(owner_api, subject, django_assert_max_num_queries):
    today = timezone.now().date()
    for n in range(30):
        ActivityFactory(subject=subject, title=f"Talk {n}", date=today - dt.timedelta(days=n + 1))
    for n in range(20):
        compute_snapshot(subject.pk, today - dt.timedelta(days=n))
    owner_api.get(f"/api/v1/subjects/{subject.pk}/activities/")
    # The token, the memberships, the subject, the count and the page.
    with django_assert_max_num_queries(5):
        assert owner_api.get(f"/api/v1/subjects/{subject.pk}/activities/").json()["count"] == 30
    with django_assert_max_num_queries(5):
        assert owner_api.get(f"/api/v1/subjects/{subject.pk}/scores/").json()["count"] == 20
