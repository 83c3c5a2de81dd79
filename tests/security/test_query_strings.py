"""Hostile query strings: every URL of the project, as its owner, answers without a server error.

The URLs come from the resolver (as in test_url_matrix.py) with the arguments of
their matrix row; each is asked with every query parameter a view or template
tag reads (and one nobody reads) set to values that have broken parsers before:
a superscript digit (str.isdigit says yes, int says no), a negative number, a
float that overflows, NaN, dates past both ends of the calendar, a 10,000-digit
number, a NUL character and a repeated key. A 400 page or a message is a fine
answer; a 5xx is not.
"""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from influence.apitokens.tokens import create_token
from influence.core.models import ScoreSnapshot
from tests.security.test_url_matrix import URL_NAMES
from tests.security.url_matrix import TABLE

# Every name read from the query string in dashboard/views, dashboard/templatetags and api/ (with
# its paging), and one nobody reads.
PARAMETERS = (
    "range", "from", "to", "subjects", "measure", "metric", "format", "kind",
    "activity_kind", "activity_year", "activity_page", "next", "email",
    "workspace", "search", "ordering", "page", "page_size", "q", "sort", "filter", "unknown",
)
HOSTILE_VALUES = (
    "²",
    "-1",
    "1e308",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "9" * 10_000,
    "\x00",
)
# A key given twice: views that read one value get the last, getlist() gets both.
REPEATED = ("1", "²")
VALUES_PER_PARAMETER = len(HOSTILE_VALUES) + 1


def _queries(base: dict[str, str], each_parameter: bool = True) -> list[str]:
    """Each parameter alone with each hostile value, then all parameters at once with each value."""
    queries = []
    for name in PARAMETERS if each_parameter else ():
        others = {key: value for key, value in base.items() if key != name}
        for value in HOSTILE_VALUES:
            queries.append(urlencode({**others, name: value}))
        queries.append(urlencode({**others, name: list(REPEATED)}, doseq=True))
    for value in HOSTILE_VALUES:
        queries.append(urlencode({name: value for name in PARAMETERS}))
    queries.append(urlencode({name: list(REPEATED) for name in PARAMETERS}, doseq=True))
    return queries


# Every URL of the resolver with a row in the matrix (test_url_matrix.py fails for a URL without one).
WALKED = [name for name in URL_NAMES if name in TABLE]


def test_the_walk_covers_every_url_with_every_parameter_and_hostile_value():
    full = len(_queries({"subjects": "1"}))
    short = len(_queries({"subjects": "1"}, each_parameter=False))
    # One request per parameter and value, and one per value with every parameter at once.
    assert full == (len(PARAMETERS) + 1) * VALUES_PER_PARAMETER and short == VALUES_PER_PARAMETER
    post_only = [name for name in WALKED if TABLE[name].get["owner"] == 405]
    requests = (len(WALKED) - len(post_only)) * full + len(post_only) * short
    print(
        f"query-string walk: {len(WALKED)} URLs; {len(WALKED) - len(post_only)} of them x {full} queries "
        f"({len(PARAMETERS)} parameters x {VALUES_PER_PARAMETER} values, + {VALUES_PER_PARAMETER} with every "
        f"parameter), {len(post_only)} POST-only ones x {short} = {requests} requests"
    )
    assert len(WALKED) >= 60 and requests >= 9000


@pytest.mark.parametrize("name", WALKED)
def test_no_query_string_gives_a_server_error(name, world, settings):
    # A snapshot long ago makes "all" ranges weekly and gives the range parsers old data to meet.
    ScoreSnapshot.objects.filter(pk=world.snapshot.pk).update(day=dt.date(1990, 1, 1))
    client = Client(raise_request_exception=False)
    client.force_login(world.users["owner"])
    url = reverse(name, kwargs=TABLE[name].kwargs(world))
    if url.startswith("/api/"):
        # The API takes the owner's access token, not the session; its rate must not cut the walk short.
        settings.API_RATE_LIMIT = "100000/min"
        secret = create_token(world.users["owner"], "query-string walk").secret
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    # A subject to compare, unless `subjects` is the parameter under test. A view that answers GET
    # with 405 refuses before it reads anything: the queries with every parameter at once suffice.
    queries = _queries({"subjects": str(world.subject.pk)}, each_parameter=TABLE[name].get["owner"] != 405)
    failures = []
    for query in queries:
        # Each request in a savepoint rolled back: every one meets the same world.
        with transaction.atomic():
            response = client.get(f"{url}?{query}")
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} GET {url}?{query[:160]}")
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} of {len(queries)} queries)"


@pytest.fixture
def owner_client(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["owner"])
    return client


def test_compare_data_ignores_a_superscript_digit_as_a_subject_id(owner_client, world):
    response = owner_client.get(reverse("compare_data"), {"subjects": ["²", str(world.subject.pk)]})
    assert response.status_code == 200
    assert [line["subject"] for line in response.json()["lines"]] == [world.subject.pk]


@pytest.mark.parametrize("query", [{"to": "0001-01-01"}, {"from": "0001-01-01"}, {"to": "9999-12-31"}])
def test_changes_page_answers_400_with_a_message_for_a_date_out_of_bounds(owner_client, world, query):
    response = owner_client.get(reverse("subject_changes", kwargs={"pk": world.subject.pk}), query)
    assert response.status_code == 400
    assert "1900-01-01" in response.content.decode()


@pytest.mark.parametrize("name", ["subject_series", "subject_metrics", "compare_data"])
@pytest.mark.parametrize(
    "query", [{"from": "1899-12-31"}, {"to": "9999-12-31"}, {"range": "custom", "to": "0001-01-01"}]
)
def test_chart_data_answers_400_naming_the_bounds_for_a_date_out_of_bounds(owner_client, world, name, query):
    kwargs = {} if name == "compare_data" else {"pk": world.subject.pk}
    response = owner_client.get(reverse(name, kwargs=kwargs), {**query, "subjects": world.subject.pk})
    assert response.status_code == 400
    assert "1900-01-01" in response.json()["error"]


def test_subject_page_shows_a_message_for_a_range_out_of_bounds(owner_client, world):
    response = owner_client.get(reverse("subject_detail", kwargs={"pk": world.subject.pk}), {"from": "0001-01-01"})
    assert response.status_code == 200
    assert "1900-01-01" in response.content.decode()


@pytest.mark.parametrize("target", ["home", "-1", "9" * 10_000, "https://evil.example/"])
def test_signed_in_user_asking_for_signup_with_a_next_that_is_not_a_path_goes_home(owner_client, target):
    response = owner_client.get(reverse("account_signup"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_subject_page_ignores_an_activity_year_that_is_not_four_ascii_digits(owner_client, world):
    url = reverse("subject_detail", kwargs={"pk": world.subject.pk})
    for year in ("²", "9" * 10_000, "0", "-1"):
        response = owner_client.get(url, {"activity_year": year})
        assert response.status_code == 200
        assert world.activity.title in response.content.decode()
