"""Stack Exchange: reputation and badges of `site:id`, gzip, empty items, back-off and throttling."""

import gzip

import pytest

from influence.connectors import NotFound, RateLimited, get_connector
from influence.connectors.stackexchange import StackExchangeConnector, parse_backoff, parse_users
from tests.connectors.conftest import stored, stored_bytes
from tests.connectors.scenarios import route_stackexchange


def test_users_give_reputation_and_badges():
    assert parse_users(stored("stackexchange", "users.json")) == {
        "reputation": 1513285, "badges_gold": 892, "badges_silver": 9207, "badges_bronze": 9348,
    }


def test_empty_items_mean_no_such_user():
    with pytest.raises(NotFound, match="no user “stackoverflow:1”"):
        parse_users(stored("stackexchange", "users_empty.json"), "stackoverflow:1")


def test_the_backoff_field_is_read_when_present():
    assert parse_backoff(stored("stackexchange", "users_backoff.json")) == 10
    assert parse_backoff(stored("stackexchange", "users.json")) is None


def test_fetch_asks_the_site_with_the_key_and_reads_a_gzipped_answer(api):
    api.route("GET", "/users/22656", body=gzip.compress(stored_bytes("stackexchange", "users.json")),
              content_type="application/json; charset=utf-8", headers={"Content-Encoding": "gzip"})
    metrics = get_connector("stackexchange", {"stackexchange_key": "k3y"}).fetch("22656")
    assert metrics["reputation"] == 1513285
    assert api.requests[0].query == {"site": ["stackoverflow"], "key": ["k3y"]}


def test_fetch_without_a_key_sends_none(api):
    scenario = route_stackexchange(api)
    assert get_connector("stackexchange").fetch(scenario.handle) == scenario.expected
    assert api.requests[0].query == {"site": ["stackoverflow"]}


def test_a_backoff_is_honoured_by_refusing_to_ask_again_until_it_passes(api, frozen):
    api.route("GET", "/users/22656", body=stored_bytes("stackexchange", "users_backoff.json"),
              content_type="application/json")
    # The answer that asks for the back-off still carries good numbers.
    assert get_connector("stackexchange").fetch("22656")["reputation"] == 1513285
    with pytest.raises(RateLimited) as caught:
        get_connector("stackexchange").fetch("superuser:5")
    assert caught.value.retry_after == 10
    assert len(api.requests) == 1  # refused without calling
    frozen.shift(11)
    api.route("GET", "/users/5", body=stored_bytes("stackexchange", "users.json"), content_type="application/json")
    assert get_connector("stackexchange").fetch("superuser:5")["badges_gold"] == 892


def test_a_throttle_violation_is_rate_limited_for_the_seconds_it_names(api):
    api.route("GET", "/users/22656", status=400, body=stored_bytes("stackexchange", "error_throttle.json"),
              content_type="application/json")
    with pytest.raises(RateLimited) as caught:
        get_connector("stackexchange").fetch("22656")
    assert caught.value.retry_after == 82903


def test_an_unknown_site_is_not_found(api):
    api.route("GET", "/users/1", status=400, body=stored_bytes("stackexchange", "error_no_site.json"),
              content_type="application/json")
    with pytest.raises(NotFound, match="No site found for name `nosuchsite`"):
        get_connector("stackexchange").fetch("nosuchsite:1")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("22656", "stackoverflow:22656"),
        ("stackoverflow:22656", "stackoverflow:22656"),
        ("SuperUser:0042", "superuser:42"),
        ("math.stackexchange.com:7", "math.stackexchange.com:7"),
        ("https://stackoverflow.com/users/22656/jon-skeet", "stackoverflow:22656"),
        ("https://math.stackexchange.com/users/7/someone", "math:7"),
    ],
)
def test_handles_as_users_type_them(handle, expected):
    assert StackExchangeConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "jon-skeet", "stackoverflow:", "stack overflow:1", "https://stackoverflow.com/questions/1"])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(ValueError):
        StackExchangeConnector.normalize_handle(handle)
