"""The home page at any size: pages of 50 cards, search by name, sort, filter, and hostile query strings."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.forms.home import FILTER_CHOICES, MAX_SEARCH, SORT_CHOICES
from dashboard.views.subjects import HOME_PAGE_SIZE
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, ScoreSnapshot, Subject
from influence.reports.summaries import FILTERS, SORTS
from influence.scoring import latest
from influence.scoring.snapshots import today
from tests.dashboard.history import add_scored_subjects
from tests.dashboard.test_home import HOME_QUERIES, settled

pytestmark = pytest.mark.django_db

STALE = [{"key": "account:1:followers", "label": "LinkedIn: jo", "as_of": "2026-01-01"}]


def scored(workspace, name: str, totals: dict[int, float], stale: bool = False) -> Subject:
    """A subject with a snapshot `days` ago of each total given; the latest lists stale inputs if asked."""
    subject = Subject.objects.create(workspace=workspace, name=name)
    newest = min(totals)
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(
            subject=subject, day=today() - dt.timedelta(days=days), total=total, online=total, offline=0,
            online_points=1.0, offline_points=0.0, model_version="test",
            breakdown={"stale": STALE} if stale and days == newest else {"stale": []},
        )
        for days, total in totals.items()
    )
    latest.refresh([subject.pk])
    return subject


def names(html: str) -> list[str]:
    """The names on the cards, in order."""
    found = re.findall(r'<li class="card subject-card">\s*<h2><a href="[^"]+">([^<]+)</a>', html)
    return [html_lib.unescape(name) for name in found]


def home(client, **query) -> str:
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def many(workspace):
    """120 subjects named Subject 1..120, each with a score and a failing account."""
    return add_scored_subjects(workspace, 120, today(), days=35)


def test_a_page_shows_50_cards_and_links_to_the_next_keeping_the_query(owner_client, many):
    first = home(owner_client, q="subject", sort="-name")
    assert len(names(first)) == HOME_PAGE_SIZE
    assert "1–50 of 120 subjects matching" in first and "Page 1 of 3" in first
    assert 'href="?q=subject&amp;sort=-name&amp;page=2" rel="next"' in first
    assert "‹ Previous" not in first
    last = home(owner_client, q="subject", sort="-name", page=3)
    assert len(names(last)) == 20 and "101–120 of 120" in last
    assert 'href="?q=subject&amp;sort=-name&amp;page=2" rel="prev"' in last and "Next ›" not in last
    # Every subject once over the three pages, in the order asked for.
    pages = [names(home(owner_client, q="subject", sort="-name", page=n)) for n in (1, 2, 3)]
    everyone = [name for page in pages for name in page]
    assert len(set(everyone)) == 120 and everyone == sorted(everyone, reverse=True)


def test_paging_costs_the_same_queries_on_any_page_sort_and_filter(owner_client, many, django_assert_max_num_queries):
    ScoreSnapshot.objects.filter(subject__in=many[:3], day=today()).update(breakdown={"stale": STALE})
    latest.refresh(subject.pk for subject in many[:3])
    settled(owner_client)
    counts = set()
    for query in ({}, {"page": 3}, {"sort": "-change_30d"}, {"filter": "failing", "q": "1"}, {"filter": "stale"}):
        with django_assert_max_num_queries(HOME_QUERIES) as queries:
            owner_client.get(reverse("home"), query)
        counts.add(len(queries.captured_queries))
    assert len(counts) == 1


def test_search_finds_names_containing_the_text_whatever_the_case(owner_client, workspace):
    for name in ("Acme Ltd", "ACME Corp", "Jane Doe", "Bob 50% Off"):
        Subject.objects.create(workspace=workspace, name=name)
    assert names(home(owner_client, q="acme")) == ["ACME Corp", "Acme Ltd"]
    # The text is a part of a name, not a pattern: % and _ match themselves only.
    assert names(home(owner_client, q="50%")) == ["Bob 50% Off"]
    assert names(home(owner_client, q="_")) == []


def test_an_empty_search_says_so_and_offers_every_subject(owner_client, workspace):
    Subject.objects.create(workspace=workspace, name="Acme Ltd")
    html = home(owner_client, q="zebra")
    assert names(html) == []
    assert "No subjects match" in html and "No subject has “zebra” in its name." in html
    assert f'<a href="{reverse("home")}">Show all subjects</a>' in html
    assert "No subjects yet" not in html  # the workspace has one: the search found nothing


def test_sort_by_score_either_way_puts_subjects_without_a_score_last(owner_client, workspace):
    scored(workspace, "Low", {0: 20.0})
    scored(workspace, "High", {0: 80.0})
    scored(workspace, "Middle", {0: 50.0})
    Subject.objects.create(workspace=workspace, name="Aardvark (new)")
    assert names(home(owner_client, sort="-score")) == ["High", "Middle", "Low", "Aardvark (new)"]
    assert names(home(owner_client, sort="score")) == ["Low", "Middle", "High", "Aardvark (new)"]
    assert names(home(owner_client, sort="-name")) == ["Middle", "Low", "High", "Aardvark (new)"]
    assert names(home(owner_client)) == ["Aardvark (new)", "High", "Low", "Middle"]


def test_sort_by_change_follows_the_changes_the_cards_show(owner_client, workspace):
    # Shown scores: rounded totals. Riser goes 40 -> 50 in a week; Faller 60 -> 52; Flat stays;
    # Over a month: Faller was 30 (+22), Riser 45 (+5), Flat 50 (0).
    scored(workspace, "Riser", {0: 50.2, 7: 40.4, 30: 45.0})
    scored(workspace, "Faller", {0: 51.6, 7: 59.5, 30: 30.0})
    scored(workspace, "Flat", {0: 50.0, 7: 50.0, 30: 50.0})
    scored(workspace, "Newcomer", {0: 90.0})  # no score a week ago: no change, last either way
    week_up = home(owner_client, sort="-change_7d")
    assert names(week_up) == ["Riser", "Flat", "Faller", "Newcomer"]
    assert "up 10 points over 7 days" in week_up and "down 8 points over 7 days" in week_up
    assert names(home(owner_client, sort="change_7d")) == ["Faller", "Flat", "Riser", "Newcomer"]
    month_up = home(owner_client, sort="-change_30d")
    assert names(month_up) == ["Faller", "Riser", "Flat", "Newcomer"]
    assert "up 22 points over 30 days" in month_up
    assert names(home(owner_client, sort="change_30d")) == ["Flat", "Riser", "Faller", "Newcomer"]


def test_sort_by_change_uses_the_shown_scores_not_the_raw_totals(owner_client, workspace):
    # Raw changes: A +4.4, B +4.6. Shown: A 45 - 40 = +5, B 45 - 41 = +4 (40.5 is shown as 41).
    scored(workspace, "A", {0: 44.6, 7: 40.2})
    scored(workspace, "B", {0: 45.1, 7: 40.5})
    html = home(owner_client, sort="-change_7d")
    assert names(html) == ["A", "B"]
    assert "up 5 points over 7 days" in html and "up 4 points over 7 days" in html


def test_filter_to_subjects_with_failing_or_needs_key_accounts(owner_client, workspace):
    failing, needs_key, fine = (Subject.objects.create(workspace=workspace, name=n) for n in ("F", "K", "OK"))
    Account.objects.create(subject=failing, network=Network.GITHUB, handle="f", status=AccountStatus.FAILING)
    Account.objects.create(subject=needs_key, network=Network.YOUTUBE, handle="k", status=AccountStatus.NEEDS_KEY)
    Account.objects.create(subject=fine, network=Network.GITHUB, handle="ok")
    html = home(owner_client, filter="failing")
    assert names(html) == ["F", "K"]
    assert '<option value="failing" selected>With failing accounts</option>' in html
    assert names(home(owner_client, filter="failing", q="k")) == ["K"]


def test_filter_to_subjects_whose_latest_score_has_stale_inputs(owner_client, workspace):
    scored(workspace, "Stale now", {0: 50.0, 1: 50.0}, stale=True)
    # Stale a while ago, fresh since: the latest snapshot is what counts.
    was_stale = scored(workspace, "Fresh again", {0: 50.0, 1: 50.0})
    ScoreSnapshot.objects.filter(subject=was_stale, day=today() - dt.timedelta(days=1)).update(
        breakdown={"stale": STALE}
    )
    latest.refresh([was_stale.pk])
    scored(workspace, "Fresh", {0: 50.0})
    Subject.objects.create(workspace=workspace, name="No score")
    html = home(owner_client, filter="stale")
    assert names(html) == ["Stale now"]
    assert "LinkedIn: jo" in html
    empty = home(owner_client, filter="stale", q="fresh")
    assert names(empty) == [] and "No subject has “fresh” in its name and has stale inputs." in empty


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sort": "karma"}, "Unknown sort order: sorted by name."),
        ({"sort": "-" * 10_000}, "Unknown sort order: sorted by name."),
        ({"filter": "all; drop table"}, "Unknown filter: showing all subjects."),
        ({"page": "-1"}, "Pages are numbered from 1: showing the first page."),
        ({"page": "0"}, "Pages are numbered from 1: showing the first page."),
        ({"page": "²"}, "A page is a whole number: showing the first page."),
        ({"page": "9" * 10_000}, "A page is a whole number: showing the first page."),
        ({"page": "NaN"}, "A page is a whole number: showing the first page."),
        ({"q": "x" * 10_000}, f"A search is at most {MAX_SEARCH} characters: showing every subject."),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
    ],
)
def test_a_refused_value_falls_back_to_the_default_and_says_why(owner_client, many, query, message):
    html = home(owner_client, **query)
    assert message in html
    assert names(html)[:2] == ["Subject 1", "Subject 10"]  # the first page, by name
    assert "1–50 of 120 subjects" in html
    assert "x" * (MAX_SEARCH + 1) not in html  # a refused search is not echoed back


def test_a_page_past_the_end_shows_the_last_page(owner_client, many):
    html = home(owner_client, page=10**9)
    assert "Page 3 of 3" in html and len(names(html)) == 20


def test_the_valid_values_stay_when_another_is_refused(owner_client, many):
    html = home(owner_client, q="Subject 11", sort="-name", page="-1")
    assert names(html) == ["Subject 119", "Subject 118", "Subject 117", "Subject 116", "Subject 115",
                           "Subject 114", "Subject 113", "Subject 112", "Subject 111", "Subject 110", "Subject 11"]
    assert 'value="Subject 11"' in html and '<option value="-name" selected>' in html


def test_the_search_sort_and_filter_are_a_labelled_get_form(owner_client, many):
    html = home(owner_client)
    form = re.search(r'<form method="get" action="/" class="card subject-filters" role="search".*?</form>', html, re.S)
    assert form, "a GET form, which works without JavaScript"
    form = form.group(0)
    assert '<label for="home-q">Search by name</label>' in form and 'type="search" name="q"' in form
    assert f'maxlength="{MAX_SEARCH}"' in form and 'id="home-q"' in form
    assert '<label for="home-sort">Sort by</label>' in form and '<label for="home-filter">Show</label>' in form
    assert '<button type="submit"' in form


def test_every_sort_and_filter_of_the_list_is_offered_each_way(owner_client):
    assert {key.removeprefix("-") for key, _ in SORT_CHOICES} == set(SORTS)
    assert {key for key, _ in SORT_CHOICES} == set(SORTS) | {f"-{key}" for key in SORTS}
    assert {key for key, _ in FILTER_CHOICES if key} == set(FILTERS)


def test_the_add_a_subject_form_stays_below_the_list(owner_client, many):
    html = home(owner_client, page=2)
    assert "Add a subject" in html and "Create subject" in html


def test_a_refused_new_subject_shows_the_first_page_with_the_form_error(owner_client, many):
    response = owner_client.post(reverse("subject_create"), {"name": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert len(names(html)) == HOME_PAGE_SIZE and "Page 1 of 3" in html


def test_a_viewer_pages_and_searches_too(viewer_client, many):
    html = home(viewer_client, q="Subject 7", sort="-score")
    assert set(names(html)) == {"Subject 7", *(f"Subject {n}" for n in range(70, 80))}
    assert "Create subject" not in html


def test_an_outsider_never_finds_the_workspaces_subjects(outsider_client, many):
    html = home(outsider_client, q="Subject")
    assert names(html) == [] and "No subjects match" in html


def test_sorting_by_change_orders_the_kept_changes_without_reading_any_snapshot(owner_client, many):
    with CaptureQueriesContext(connection) as queries:
        week_down = home(owner_client, sort="change_7d")
    listed = [q["sql"] for q in queries.captured_queries if 'ORDER BY "core_subject"."score_change_7d" ASC' in q["sql"]]
    assert len(listed) == 1 and "core_scoresnapshot" not in listed[0]
    kept = list(Subject.objects.filter(workspace=many[0].workspace).order_by("score_change_7d", "name", "pk")
                .values_list("name", flat=True)[:HOME_PAGE_SIZE])
    assert names(week_down) == kept
