"""The subject page: the score now, its breakdown in whole numbers that add up, and the chart frame."""

import datetime as dt
import math
import re

import pytest
from django.urls import reverse

from influence import scoring
from influence.core.choices import ActivityKind
from influence.core.models import Activity, ScoreSnapshot
from influence.scoring.snapshots import recompute_history, today
from tests.dashboard.history import build_history
from tests.factories import AccountFactory, ActivityFactory

pytestmark = pytest.mark.django_db


def test_the_headline_is_the_score_with_its_sub_scores_and_the_breakdown_its_exact_parts(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    latest = ScoreSnapshot.objects.filter(subject=subject).latest("day")
    total, sides = scoring.display_parts(latest.total, {"online": latest.online, "offline": latest.offline})
    assert sides["online"] + sides["offline"] == total
    online = scoring.display_parts(100 * (1 - math.exp(-latest.online_points / 60)), {})[0]
    offline = scoring.display_parts(100 * (1 - math.exp(-latest.offline_points / 60)), {})[0]
    assert _headline(html) == f"{total} · Online {online} · Offline {offline}"
    assert _sentence(html) == f"{total} = {sides['online']} from online + {sides['offline']} from offline"
    plain = re.search(r'id="score-plain">(.*?)</span>', html, re.S).group(1)
    assert f"Online ({online}) and Offline ({offline}) each score one side alone" in plain.replace("&#x27;", "'")


def test_each_sides_parts_add_up_to_the_side_shown(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    tables = re.findall(r'<table class="parts">(.*?)</table>', html, re.S)
    assert len(tables) == 2
    for table in tables:
        parts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td><td class="num">[\d.]+</td>', table)]
        footer = re.search(r'<tfoot><tr><th scope="row">From \w+</th><td class="num">(\d+)</td>', table)
        side_total = int(footer.group(1))
        assert parts and sum(parts) == side_total


def test_stale_inputs_are_marked(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "stale input" in html  # the manual network's row
    assert "LinkedIn: jane, last observed" in html


def test_the_page_offers_ranges_tables_csv_links_and_the_panels(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    for label in ("30 days", "90 days", "1 year", "All"):
        assert f">{label}</a>" in html
    assert 'type="date" id="range-from"' in html
    assert '<canvas id="trend-chart"' in html and '<table id="trend-table">' in html
    assert reverse("subject_series_csv", args=[subject.pk]) in html
    assert reverse("subject_metrics_csv", args=[subject.pk]) in html
    assert reverse("subject_changes", args=[subject.pk]) in html
    assert 'id="accounts"' in html and 'id="activities"' in html
    assert 'id="chart-config" type="application/json"' in html


def test_the_page_has_no_inline_script_or_style(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", html)


def test_a_subject_without_data_says_so_and_loads_no_chart(owner_client, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "No data yet" in html
    assert "trend-chart" not in html and "chart.umd.min.js" not in html


def test_a_viewer_sees_the_subject_page(viewer_client, recent, subject):
    assert viewer_client.get(reverse("subject_detail", args=[subject.pk])).status_code == 200


def test_an_outsider_gets_404_for_the_subject_page(outsider_client, subject):
    assert outsider_client.get(reverse("subject_detail", args=[subject.pk])).status_code == 404


def test_a_bad_range_in_the_address_falls_back_with_a_message(owner_client, recent, subject):
    response = owner_client.get(reverse("subject_detail", args=[subject.pk]), {"range": "custom", "from": "2026-02-30"})
    assert response.status_code == 200
    assert "is not a date for from" in response.content.decode()


# Session and user; the subject with its latest breakdown; the user's memberships (the permission
# check and the navigation share them); the accounts (the panel and the stale inputs share them);
# the activities counted per year and kind, and the page of them; for editors and owners, the
# subject's share links (the client-report panel).
SUBJECT_PAGE_QUERIES = 8


def test_subject_page_query_count_does_not_grow_with_five_years_of_data(
    owner_client, five_years, subject, django_assert_max_num_queries
):
    # Any per-day or per-row query would add hundreds with this history.
    with django_assert_max_num_queries(SUBJECT_PAGE_QUERIES):
        assert owner_client.get(reverse("subject_detail", args=[subject.pk])).status_code == 200


def test_subject_page_reads_as_many_queries_with_200_activities_and_30_accounts_as_with_25_and_3(
    owner_client, subject, django_assert_max_num_queries
):
    build_history(subject, today(), years=90 / 365, activities_per_year=100)  # 25 activities, 3 accounts
    counts = []
    for activities, accounts, pages in ((25, 3, 2), (200, 30, 10)):
        _add_activities(subject, activities - subject.activities.count())
        AccountFactory.create_batch(accounts - subject.accounts.count(), subject=subject)
        with django_assert_max_num_queries(SUBJECT_PAGE_QUERIES) as queries:
            html = _page(owner_client, subject, activity_page="2")
        assert f"Page 2 of {pages} ({activities} activities)" in html
        assert html.count('<tr id="account-') == accounts
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def _add_activities(subject, n: int) -> None:
    Activity.objects.bulk_create(
        Activity(subject=subject, kind=ActivityKind.TALK, title=f"Extra talk {i}", date=today() - dt.timedelta(days=i))
        for i in range(n)
    )


def _page(client, subject, **params) -> str:
    response = client.get(reverse("subject_detail", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    """The titles in the activity table, in order."""
    return re.findall(r'<td class="title">(?:<a [^>]*>)?([^<\n]+?)(?:</a>)?\n', html)


def _sentence(html: str) -> str:
    return re.search(r'id="score-sentence">(.*?)</strong>', html, re.S).group(1).strip()


def _headline(html: str) -> str:
    headline = re.search(r'id="score-headline">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", headline)).strip()


def test_an_added_activity_shows_at_once(owner_client, recent, subject):
    assert "Brand new keynote" not in _page(owner_client, subject)
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Brand new keynote", date=today())
    assert _titles(_page(owner_client, subject))[0] == "Brand new keynote"


def test_an_edited_or_deleted_activity_shows_so_at_once(owner_client, recent, subject):
    newest = Activity.objects.filter(subject=subject).order_by("-date", "-pk").first()
    assert _titles(_page(owner_client, subject))[0] == newest.title
    newest.title = "Renamed in place"
    newest.save()
    assert _titles(_page(owner_client, subject))[0] == "Renamed in place"
    newest.delete()
    assert "Renamed in place" not in _titles(_page(owner_client, subject))


def test_a_new_snapshot_shows_at_once(owner_client, recent, subject):
    before = _sentence(_page(owner_client, subject))
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Big stage", date=today(), audience=5000)
    recompute_history(subject.pk)
    latest = ScoreSnapshot.objects.filter(subject=subject).latest("day")
    total, sides = scoring.display_parts(latest.total, {"online": latest.online, "offline": latest.offline})
    expected = f"{total} = {sides['online']} from online + {sides['offline']} from offline"
    assert expected != before
    assert _sentence(_page(owner_client, subject)) == expected


def test_the_rename_field_holds_the_name_for_editors(editor_client, subject):
    html = _page(editor_client, subject)
    assert '<label for="rename_name">New name</label>' in html
    assert re.search(r'<input type="text" name="name" value="Jane Doe" maxlength="\d+" required[^>]* id="rename_name">',
                     html)
