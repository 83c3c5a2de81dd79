"""Picking the subjects of the weekly email: a searchable, paged list; none picked means all."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from influence.core.models import Subject
from tests.factories import SubjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

URL = "/settings/email/"


def listed(response):
    return re.findall(r'name="picked" value="(\d+)"( checked)?> ([^<]+)</label>', response.text)


def names(response):
    return [name for _, _, name in listed(response)]


def many(workspace, count):
    return Subject.objects.bulk_create([Subject(workspace=workspace, name=f"Client {i:03d}") for i in range(count)])


def test_the_list_is_paged_and_searchable_and_says_all_are_covered_by_default(owner_client, workspace):
    many(workspace, 60)

    first = owner_client.get(URL)
    assert first.status_code == 200
    assert names(first) == [f"Client {i:03d}" for i in range(25)]
    assert "Page 1 of 3 (60 subjects)" in first.text
    assert "covers <strong>all 60</strong> subjects you can see" in first.text
    assert not any(checked for _, checked, _ in listed(first))

    third = owner_client.get(URL, {"page": 3})
    assert names(third) == [f"Client {i:03d}" for i in range(50, 60)]

    found = owner_client.get(URL, {"q": "client 04"})
    assert names(found) == [f"Client {i:03d}" for i in range(40, 50)]
    assert "Page 1" not in found.text


def test_saving_one_page_of_picks_keeps_the_picks_of_other_pages(owner_client, owner, workspace):
    subjects = many(workspace, 60)
    owner.digest_subjects.add(subjects[55])  # on page 3
    page_one = [s.pk for s in subjects[:25]]

    response = owner_client.post(URL, {"action": "subjects", "shown": page_one,
                                       "picked": [subjects[1].pk, subjects[7].pk]})

    assert response.status_code == 302
    assert sorted(owner.digest_subjects.values_list("name", flat=True)) == ["Client 001", "Client 007", "Client 055"]
    page = owner_client.get(URL)
    assert "The subjects of your weekly email are saved." in page.text
    assert "covers the <strong>3</strong> subjects you picked, of 60 you can see" in page.text
    assert [name for _, checked, name in listed(page) if checked] == ["Client 001", "Client 007"]
    picked_only = owner_client.get(URL, {"only": "picked"})
    assert names(picked_only) == ["Client 001", "Client 007", "Client 055"]

    # Unticking on page one drops those picks only.
    owner_client.post(URL, {"action": "subjects", "shown": page_one, "picked": [subjects[7].pk]})
    assert sorted(owner.digest_subjects.values_list("name", flat=True)) == ["Client 007", "Client 055"]


def test_saving_picks_returns_to_the_same_search_and_page(owner_client, workspace):
    subjects = many(workspace, 60)

    response = owner_client.post(f"{URL}?q=client&page=2", {"action": "subjects", "shown": [subjects[30].pk],
                                                            "picked": [subjects[30].pk]})

    assert response["Location"] == f"{URL}?q=client&page=2"


def test_cover_all_goes_back_to_every_subject(owner_client, owner, workspace):
    subjects = many(workspace, 3)
    owner.digest_subjects.set(subjects[:1])

    owner_client.post(URL, {"action": "all"})

    assert not owner.digest_subjects.exists()
    assert "covers <strong>all 3</strong> subjects you can see" in owner_client.get(URL).text


def test_a_subject_of_another_workspace_cannot_be_picked(owner_client, owner, workspace):
    mine = SubjectFactory(workspace=workspace, name="Mine")
    theirs = SubjectFactory(workspace=WorkspaceFactory(name="Theirs"), name="Theirs")

    response = owner_client.post(URL, {"action": "subjects", "shown": [mine.pk, theirs.pk],
                                       "picked": [theirs.pk]})

    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not owner.digest_subjects.exists()
    assert "Theirs" not in names(response)


def test_an_outsider_sees_no_subject_of_the_workspace(outsider_client, workspace):
    many(workspace, 3)

    response = outsider_client.get(URL)

    assert response.status_code == 200
    assert names(response) == [] and "You see no subject yet." in response.text


def test_the_page_takes_the_same_queries_with_5_and_with_60_subjects(owner_client, workspace):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get(URL).status_code == 200
        return len(captured.captured_queries)

    many(workspace, 5)
    queries()  # the session's first page also remembers the confirmed address, once
    few = queries()
    Subject.objects.bulk_create([Subject(workspace=workspace, name=f"More {i}") for i in range(55)])
    assert queries() == few
