"""Hacker News: karma; an unknown user is a JSON null."""

import pytest

from influence.connectors import NotFound, get_connector
from influence.connectors.hackernews import HackerNewsConnector, parse_user
from tests.connectors.conftest import serve, stored
from tests.connectors.scenarios import route_hackernews


def test_user_gives_karma():
    assert parse_user(stored("hackernews", "user.json")) == {"karma": 4382}


def test_null_means_no_such_user():
    assert stored("hackernews", "unknown.json") is None
    with pytest.raises(NotFound, match="no user “nobody_here”"):
        parse_user(None, "nobody_here")


def test_fetch_reads_the_user(api):
    scenario = route_hackernews(api)
    assert get_connector("hackernews").fetch(scenario.handle) == scenario.expected


def test_fetch_of_an_unknown_user_is_not_found(api):
    serve(api, "hackernews", "/user/nobody_here.json", "unknown.json")
    with pytest.raises(NotFound):
        get_connector("hackernews").fetch("nobody_here")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [("pg", "pg"), (" dang ", "dang"), ("https://news.ycombinator.com/user?id=Jl", "Jl")],
)
def test_user_names_keep_their_case(handle, expected):
    assert HackerNewsConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "a", "has space", "x" * 16])
def test_impossible_user_names_are_refused(handle):
    with pytest.raises(ValueError):
        HackerNewsConnector.normalize_handle(handle)
