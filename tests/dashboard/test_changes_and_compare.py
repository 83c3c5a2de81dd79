"""What changed between two days, and several subjects on one chart."""

import csv
import datetime as dt
import io
import math
import re

import pytest
from django.urls import reverse

from dashboard.views.compare import DEFAULT_CHOSEN, PICKER_PAGE_SIZE
from influence.core.choices import ActivityKind
from influence.core.models import Activity, ScoreSnapshot
from influence.reports import series
from influence.scoring.snapshots import recompute_history, today
from tests.dashboard.history import add_scored_subjects, build_history
from tests.factories import SubjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def test_what_changed_defaults_to_the_last_seven_days(owner_client, recent, subject):
    response = owner_client.get(reverse("subject_changes", args=[subject.pk]))
    html = response.content.decode()
    week_ago = (today() - dt.timedelta(days=7)).isoformat()
    assert f'value="{week_ago}"' in html and f'value="{today().isoformat()}"' in html
    assert 'id="movements"' in html


def test_a_new_book_is_the_component_that_moved_most(owner_client, recent, subject):
    day = today() - dt.timedelta(days=3)
    Activity.objects.create(subject=subject, kind=ActivityKind.BOOK, title="The Book", date=day, audience=5000)
    recompute_history(subject.pk, since=day, until=today())
    html = owner_client.get(reverse("subject_changes", args=[subject.pk])).content.decode()
    first_row = html.split('<tbody>')[1].split("</tr>")[0]
    assert '<th scope="row">Book</th>' in first_row
    before = ScoreSnapshot.objects.get(subject=subject, day=today() - dt.timedelta(days=7))
    after = ScoreSnapshot.objects.get(subject=subject, day=today())
    share_after = after.breakdown["kinds"]["book"]["share"]
    assert "book" not in before.breakdown["kinds"]
    assert f'<td class="num">0.00</td><td class="num">{share_after:.2f}</td>' in first_row


def test_what_changed_between_chosen_days_and_refuses_reversed_ones(owner_client, recent, subject):
    start, end = today() - dt.timedelta(days=400), today() - dt.timedelta(days=30)
    ok = owner_client.get(reverse("subject_changes", args=[subject.pk]), {"from": start, "to": end})
    assert ok.status_code == 200 and f"on {start.isoformat()} → " in ok.content.decode()
    bad = owner_client.get(reverse("subject_changes", args=[subject.pk]), {"from": end, "to": start})
    assert bad.status_code == 400 and "after the “to” date" in bad.content.decode()


def test_what_changed_without_data_says_so(owner_client, subject):
    assert "No data yet" in owner_client.get(reverse("subject_changes", args=[subject.pk])).content.decode()


def test_an_outsider_gets_404_for_what_changed(outsider_client, subject):
    assert outsider_client.get(reverse("subject_changes", args=[subject.pk])).status_code == 404


def test_the_subject_page_links_to_what_changed(owner_client, recent, subject):
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert reverse("subject_changes", args=[subject.pk]) in html


@pytest.fixture
def two_subjects(subject, other_subject):
    build_history(subject, today(), years=1.2, activities_per_year=2)
    build_history(other_subject, today(), years=0.5, activities_per_year=2)
    return subject, other_subject


def test_compare_offers_the_workspaces_subjects_as_checkboxes(owner_client, two_subjects):
    html = owner_client.get(reverse("compare")).content.decode()
    for s in two_subjects:
        assert f'name="subjects" value="{s.pk}" checked' in html
    for measure in ("total", "online_score", "offline_score", "online_share", "offline_share"):
        assert f'<option value="{measure}"' in html
    assert '<canvas id="compare-chart"' in html and '<canvas id="compare-voice-chart"' in html


def test_compare_data_has_a_line_per_subject_for_the_chosen_measure(owner_client, two_subjects):
    a, b = two_subjects
    data = owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}", "measure": "offline_share",
                                                      "range": "30d"}).json()
    assert [line["label"] for line in data["lines"]] == ["Jane Doe", "Acme Ltd"]
    latest = ScoreSnapshot.objects.get(subject=b, day=today())
    assert data["lines"][1]["values"][-1] == round(latest.offline, 2)
    assert data["measure"] == "offline_share" and len(data["lines"][0]["days"]) == 30
    scores = owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}", "measure": "offline_score",
                                                        "range": "30d"}).json()
    assert scores["lines"][1]["values"][-1] == round(100 * (1 - math.exp(-latest.offline_points / 60)), 2)


def test_an_older_measure_name_still_draws_the_same_measure(owner_client, two_subjects):
    a, _ = two_subjects
    data = owner_client.get(reverse("compare_data"), {"subjects": str(a.pk), "measure": "online_only"}).json()
    assert data["measure"] == "online_score"


def test_share_of_voice_is_each_subjects_part_of_the_combined_score_and_adds_up_to_100(owner_client, two_subjects):
    a, b = two_subjects
    data = owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}", "measure": "online_score",
                                                      "range": "1y"}).json()
    shares: dict[str, dict[int, float]] = {}
    for line in data["lines"]:
        assert len(line["share_of_voice"]) == len(line["days"])
        for day, share in zip(line["days"], line["share_of_voice"], strict=True):
            shares.setdefault(day, {})[line["subject"]] = share
    totals = {(s.subject_id, s.day.isoformat()): s.total for s in ScoreSnapshot.objects.filter(subject__in=[a, b])}
    both = [day for day, by in shares.items() if len(by) == 2]
    assert len(both) > 100 and any(len(by) == 1 for by in shares.values())  # b's history is shorter
    for day, by in shares.items():
        assert round(sum(by.values()) * 100) == 10_000, day
        combined = sum(totals[(pk, day)] for pk in by)
        for pk, share in by.items():
            assert abs(share - 100 * totals[(pk, day)] / combined) <= 0.011
    # Alone on a day (before b's history starts), a subject has all the voice.
    assert {share for by in shares.values() if len(by) == 1 for share in by.values()} == {100.0}


def test_compare_ignores_a_subject_of_another_workspace_without_saying_it_exists(owner_client, two_subjects):
    a, _ = two_subjects
    foreign = SubjectFactory(workspace=WorkspaceFactory(), name="Their Client")
    build_history(foreign, today(), years=0.2, activities_per_year=1)
    data = owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{foreign.pk}"}).json()
    assert [line["subject"] for line in data["lines"]] == [a.pk]
    alone = owner_client.get(reverse("compare_data"), {"subjects": str(foreign.pk)})
    assert alone.status_code == 200 and alone.json()["lines"] == []


def test_compare_csv_has_every_line_shown(owner_client, two_subjects):
    a, b = two_subjects
    response = owner_client.get(reverse("compare_csv"), {"subjects": f"{a.pk},{b.pk}", "measure": "total",
                                                         "range": "all"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["day", "subject", "total", "share_of_voice"]
    assert {r[1] for r in rows[1:]} == {"Jane Doe", "Acme Ltd"}
    data = owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}", "measure": "total",
                                                      "range": "all"}).json()
    assert rows[1:] == [[day, line["label"], str(value), str(share)] for line in data["lines"]
                        for day, value, share in zip(line["days"], line["values"], line["share_of_voice"], strict=True)]


def test_compare_refuses_an_unknown_measure(owner_client, two_subjects):
    response = owner_client.get(reverse("compare_data"), {"subjects": str(two_subjects[0].pk), "measure": "karma"})
    assert response.status_code == 400 and "Unknown measure" in response.json()["error"]


# Session, user, the subjects asked for (with their workspaces), their snapshots.
COMPARE_DATA_QUERIES = 4
# Session, user, the user's memberships, the chosen subjects, and the count and page of the others.
COMPARE_PAGE_QUERIES = 6


def test_compare_query_count_is_bounded(owner_client, two_subjects, django_assert_max_num_queries):
    a, b = two_subjects
    with django_assert_max_num_queries(COMPARE_DATA_QUERIES):
        owner_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}", "range": "all"})


def test_compare_data_reads_as_many_queries_for_eight_subjects_as_for_one(
    owner_client, workspace, django_assert_max_num_queries
):
    subjects = add_scored_subjects(workspace, series.MAX_COMPARE, today(), days=400)
    counts = []
    for chosen in (subjects[:1], subjects):
        with django_assert_max_num_queries(COMPARE_DATA_QUERIES) as queries:
            data = owner_client.get(reverse("compare_data"), {"subjects": ",".join(str(s.pk) for s in chosen),
                                                              "range": "all"}).json()
        assert len(data["lines"]) == len(chosen)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_compare_page_reads_as_many_queries_for_60_subjects_as_for_5(
    owner_client, workspace, django_assert_max_num_queries
):
    counts = []
    for total, offered in ((5, 5), (60, DEFAULT_CHOSEN + PICKER_PAGE_SIZE)):
        add_scored_subjects(workspace, total - workspace.subjects.count(), today(), days=1)
        with django_assert_max_num_queries(COMPARE_PAGE_QUERIES) as queries:
            html = owner_client.get(reverse("compare")).content.decode()
        assert html.count('name="subjects" value=') == offered
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def checkboxes(html: str, box: str) -> list[tuple[str, bool]]:
    """The (name, ticked) of the subjects in the picker's `box` ("chosen" or "results")."""
    part = html.split(f'id="compare-{box}">')[1].split("</div>")[0]
    found = re.findall(r'<input type="checkbox" name="subjects" value="\d+"( checked)?> ([^<]+)</label>', part)
    return [(name.strip(), bool(ticked)) for ticked, name in found]


@pytest.fixture
def many(workspace):
    """45 subjects named Subject 1..45."""
    return add_scored_subjects(workspace, 45, today(), days=1)


def test_compare_offers_a_page_of_20_other_subjects_and_keeps_the_chosen_ones(owner_client, many):
    chosen = f"{many[40].pk},{many[4].pk}"
    html = owner_client.get(reverse("compare"), {"subjects": chosen}).content.decode()
    assert checkboxes(html, "chosen") == [("Subject 41", True), ("Subject 5", True)]
    results = checkboxes(html, "results")
    assert len(results) == PICKER_PAGE_SIZE and not any(ticked for _, ticked in results)
    assert ("Subject 41", False) not in results and ("Subject 5", False) not in results  # once each
    assert "Page 1 of 3 (43 subjects)" in html
    # The pages are buttons of the same GET form: the ticked subjects, search, measure and range go along.
    assert '<button type="submit" class="link" name="page" value="2">Next ›</button>' in html
    last = owner_client.get(reverse("compare"), {"subjects": chosen, "page": 3}).content.decode()
    assert len(checkboxes(last, "results")) == 3 and checkboxes(last, "chosen")[0] == ("Subject 41", True)


def test_compare_searches_the_subjects_to_add_by_name(owner_client, many):
    html = owner_client.get(reverse("compare"), {"subjects": str(many[0].pk), "q": "subject 4"}).content.decode()
    assert checkboxes(html, "chosen") == [("Subject 1", True)]  # kept, though its name does not match
    assert [name for name, _ in checkboxes(html, "results")] == ["Subject 4"] + [f"Subject {n}" for n in range(40, 46)]
    assert 'value="subject 4"' in html
    nothing = owner_client.get(reverse("compare"), {"subjects": str(many[0].pk), "q": "zebra"}).content.decode()
    assert checkboxes(nothing, "results") == [] and "No other subject has “zebra” in its name." in nothing


def test_compare_search_is_a_labelled_field_of_a_get_form(owner_client, many):
    html = owner_client.get(reverse("compare")).content.decode()
    assert '<form method="get" action="/compare/" class="card compare-form" id="compare-form">' in html
    assert '<label for="compare-q">Search by name</label>' in html
    assert re.search(r'<input type="search" name="q"[^>]*id="compare-q"', html)
    assert '<button type="submit" class="secondary" id="compare-search">Search</button>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "x" * 10_000}, "A search is at most 100 characters: showing every subject."),
        ({"page": "-1"}, "Pages are numbered from 1: showing the first page."),
        ({"page": "9" * 10_000}, "A page is a whole number: showing the first page."),
    ],
)
def test_compare_falls_back_from_a_refused_search_or_page_and_says_why(owner_client, many, query, message):
    response = owner_client.get(reverse("compare"), query)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Page 1 of 3 (42 subjects)" in html and "x" * 101 not in html


def test_compare_shows_the_last_page_for_a_page_past_the_end(owner_client, many):
    html = owner_client.get(reverse("compare"), {"page": 10**9}).content.decode()
    assert "Page 3 of 3 (42 subjects)" in html and len(checkboxes(html, "results")) == 2


def test_an_outsider_cannot_see_or_compare_the_workspaces_subjects(outsider_client, two_subjects):
    a, b = two_subjects
    assert "Jane Doe" not in outsider_client.get(reverse("compare")).content.decode()
    asked = outsider_client.get(reverse("compare"), {"subjects": f"{a.pk},{b.pk}", "q": "a"}).content.decode()
    assert "Jane Doe" not in asked and "Acme Ltd" not in asked
    data = outsider_client.get(reverse("compare_data"), {"subjects": f"{a.pk},{b.pk}"}).json()
    assert data["lines"] == []
    rows = list(csv.reader(io.StringIO(outsider_client.get(reverse("compare_csv"), {"subjects": str(a.pk)})
                                       .content.decode())))
    assert rows == [["day", "subject", "total", "share_of_voice"]]
