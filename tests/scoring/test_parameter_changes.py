"""Every save of a workspace's parameters is kept and shown: the parameters page lists who changed what,
the trend chart marks the day, and a subject's full list explains any day item by item."""

import datetime as dt
import math
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from influence.core.models import ParameterChange, PendingWork, ScoreSnapshot
from influence.scoring.snapshots import recompute_history, today
from influence.scoring.tasks import run_pending_work
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, UserFactory
from tests.scoring.test_parameters_page import url, valid_data

pytestmark = pytest.mark.django_db


def _history_section(html: str) -> str:
    return re.search(r'<section class="card" aria-labelledby="changes-title".*?</section>', html, re.S).group(0)


def _cells(html: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_each_save_through_the_form_is_kept_with_who_when_and_every_value_old_to_new(
    owner_client, owner, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(url(workspace), valid_data(k="30", **{"w__github__stars": "3", "base__book": "20"}))
    (change,) = ParameterChange.objects.filter(workspace=workspace)
    assert change.changed_by == owner
    assert abs((timezone.now() - change.changed_at).total_seconds()) < 60
    assert [(c["name"], c["old"], c["new"]) for c in change.changes] == [
        ("k", 60.0, 30.0), ("weights.github.stars", 1.5, 3.0), ("bases.book", 15.0, 20.0),
    ]
    html = _history_section(owner_client.get(url(workspace)).content.decode())
    assert owner.email in html and change.version_before in html and change.version_after in html
    assert ["Saturation K", "60", "30"] in _cells(html)
    assert ["GitHub stars", "1.5", "3"] in _cells(html)
    assert ["Book: base points", "15", "20"] in _cells(html)

    # A second save, then a reset to the defaults: newest first, each with its own values.
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(url(workspace), valid_data(k="45", **{"w__github__stars": "3", "base__book": "20"}))
        owner_client.post(reverse("workspace_scoring_reset", args=[workspace.pk]))
    saves = list(ParameterChange.objects.filter(workspace=workspace))
    assert [[(c["name"], c["old"], c["new"]) for c in s.changes] for s in saves] == [
        [("k", 45.0, 60.0), ("weights.github.stars", 3.0, 1.5), ("bases.book", 20.0, 15.0)],
        [("k", 30.0, 45.0)],
        [("k", 60.0, 30.0), ("weights.github.stars", 1.5, 3.0), ("bases.book", 15.0, 20.0)],
    ]
    html = _history_section(owner_client.get(url(workspace)).content.decode())
    assert html.count("<li>") == 3
    assert html.index(saves[0].version_after) < html.index(saves[2].version_before + " → " + saves[2].version_after)


def test_a_save_that_changes_nothing_or_is_refused_keeps_nothing(owner_client, workspace):
    owner_client.post(url(workspace), valid_data())
    owner_client.post(url(workspace), valid_data(k="0"))
    assert not ParameterChange.objects.filter(workspace=workspace).exists()
    html = owner_client.get(url(workspace)).content.decode()
    assert "The parameters have not been changed" in html


@pytest.mark.parametrize("persona", ["viewer_client", "editor_client"])
def test_members_who_cannot_change_them_read_the_history(request, persona, owner_client, workspace):
    owner_client.post(url(workspace), valid_data(k="30"))
    html = request.getfixturevalue(persona).get(url(workspace)).content.decode()
    assert ["Saturation K", "60", "30"] in _cells(_history_section(html))


# Session, user, membership (with the workspace), the latest recompute, the latest saves (with who).
PARAMETERS_PAGE_QUERIES = 5


def test_the_parameters_page_reads_as_many_queries_with_sixty_saves_as_with_one(
    owner_client, workspace, django_assert_max_num_queries
):
    counts = []
    for saves in (1, 60):
        users = [UserFactory() for _ in range(3)]
        ParameterChange.objects.bulk_create(
            ParameterChange(workspace=workspace, changed_by=users[i % 3], version_before="v1-a", version_after="v1-b",
                            changes=[{"name": "k", "label": "Saturation K", "old": 60.0, "new": 61.0 + i}])
            for i in range(saves - ParameterChange.objects.filter(workspace=workspace).count())
        )
        with django_assert_max_num_queries(PARAMETERS_PAGE_QUERIES) as queries:
            html = owner_client.get(url(workspace)).content.decode()
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert _history_section(html).count("<li>") == 50 and "Older changes are kept" in html


@pytest.fixture
def scored(subject):
    """Jane with a Mastodon and a GitHub account and two talks, scored day by day for 40 days."""
    start = today() - dt.timedelta(days=40)
    mastodon = AccountFactory(subject=subject, network="mastodon", handle="jane@example.social",
                              instance_url="https://example.social")
    github = AccountFactory(subject=subject, network="github", handle="jane")
    for n in range(41):
        day = start + dt.timedelta(days=n)
        ObservationFactory(account=mastodon, metric="followers", day=day, value=2000 + 10 * n)
        ObservationFactory(account=github, metric="followers", day=day, value=500 + n)
        ObservationFactory(account=github, metric="stars", day=day, value=50)
    ActivityFactory(subject=subject, kind="keynote", title="DataConf keynote", date=start + dt.timedelta(days=5),
                    audience=800)
    ActivityFactory(subject=subject, kind="talk", title="Meetup talk", date=start + dt.timedelta(days=30))
    recompute_history(subject.pk)
    return subject


def test_the_trend_chart_marks_the_day_the_parameters_were_saved_and_the_history_is_recomputed(
    owner_client, workspace, scored, django_capture_on_commit_callbacks
):
    series_url = reverse("subject_series", args=[scored.pk])
    assert owner_client.get(series_url, {"range": "30d"}).json()["parameter_changes"] == []
    before = ScoreSnapshot.objects.get(subject=scored, day=today()).total
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(url(workspace), valid_data(k="30"))
    # The workspace's recompute the save asked for, done as the worker does it.
    (work,) = PendingWork.objects.all()
    run_pending_work(work.pk)
    data = owner_client.get(series_url, {"range": "30d"}).json()
    change = ParameterChange.objects.get(workspace=workspace)
    assert data["parameter_changes"] == [{"id": change.pk, "date": today().isoformat(),
                                          "version": change.version_after}]
    # Every day drawn was recomputed with the new K: a smaller K, a higher score.
    assert data["total"][-1] > round(before, 2)
    # A range that ends before the save marks nothing.
    earlier = {"range": "custom", "from": (today() - dt.timedelta(days=20)).isoformat(),
               "to": (today() - dt.timedelta(days=1)).isoformat()}
    assert owner_client.get(series_url, earlier).json()["parameter_changes"] == []


def _rows(html: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_full_list_shows_every_account_metric_and_activity_of_any_day_with_its_points(owner_client, scored):
    page = owner_client.get(reverse("subject_detail", args=[scored.pk])).content.decode()
    link = re.search(r'href="([^"]+)" id="full-list"', page).group(1).replace("&amp;", "&")
    assert link == reverse("subject_items", args=[scored.pk]) + f"?day={today().isoformat()}"
    html = owner_client.get(link).content.decode()
    online = _rows(html, "items-online-table")
    offline = _rows(html, "items-offline-table")
    assert [row[0] for row in online] == [
        "Mastodon: jane@example.social · followers", "GitHub: jane · followers", "GitHub: jane · stars",
    ]
    assert online[0][3] == f"{2.0 * math.log10(1 + 2400):.2f}"
    assert [row[0] for row in offline] == ["DataConf keynote", "Meetup talk"]
    # Each item's part of the score: together they are the score of the day.
    latest = ScoreSnapshot.objects.get(subject=scored, day=today())
    parts = [float(row[4]) for row in online + offline]
    assert abs(sum(parts) - latest.total) < 0.03

    # Any earlier day: the talk did not count yet, the numbers were smaller.
    day = today() - dt.timedelta(days=20)
    earlier = owner_client.get(reverse("subject_items", args=[scored.pk]), {"day": day.isoformat()}).content.decode()
    assert [row[0] for row in _rows(earlier, "items-offline-table")] == ["DataConf keynote"]
    assert _rows(earlier, "items-online-table")[0][3] == f"{2.0 * math.log10(1 + 2200):.2f}"
    snapshot = ScoreSnapshot.objects.get(subject=scored, day=day)
    rows = _rows(earlier, "items-online-table") + _rows(earlier, "items-offline-table")
    assert abs(sum(float(row[4]) for row in rows) - snapshot.total) < 0.03


def test_a_bad_day_in_the_full_list_says_so_and_shows_the_latest(owner_client, scored):
    response = owner_client.get(reverse("subject_items", args=[scored.pk]), {"day": "2026-02-30"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a date for day" in html and f'value="{today().isoformat()}"' in html


# Session, user, the subject (with its workspace), the membership, the latest snapshot's day, and the inputs
# (accounts, observations, activities).
FULL_LIST_QUERIES = 8


def test_the_full_list_reads_a_fixed_number_of_queries(owner_client, scored, django_assert_max_num_queries):
    with django_assert_max_num_queries(FULL_LIST_QUERIES):
        assert owner_client.get(reverse("subject_items", args=[scored.pk])).status_code == 200
