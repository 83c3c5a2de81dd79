"""RSS and Atom: entries published in the last 90 days."""

import pytest

from influence.connectors import BadResponse, NotFound, get_connector
from influence.connectors.rss import RSSConnector, parse_feed
from tests.connectors.conftest import NOW, serve, stored_bytes
from tests.connectors.scenarios import route_rss


def test_rss_entries_of_the_last_90_days_are_counted():
    # Nov 18, Oct 1 and Aug 25 are within 90 days of Nov 20; Aug 20, May 1 and the undated page are not.
    assert parse_feed(stored_bytes("rss", "feed.xml"), NOW) == {"posts_90d": 3}


def test_atom_entries_count_by_published_else_updated_date():
    assert parse_feed(stored_bytes("rss", "atom.xml"), NOW) == {"posts_90d": 2}


def test_a_page_that_is_not_a_feed_is_a_bad_response():
    with pytest.raises(BadResponse, match="not give an RSS or Atom feed"):
        parse_feed(stored_bytes("rss", "not_a_feed.html"), NOW)
    with pytest.raises(BadResponse):
        parse_feed(b'{"items": []}', NOW)


def test_fetch_reads_the_feed_at_its_address(api, frozen):
    scenario = route_rss(api)
    assert get_connector("rss").fetch(scenario.handle) == scenario.expected


def test_fetch_of_an_html_page_is_a_bad_response(api, frozen):
    serve(api, "rss", "/", "not_a_feed.html", content_type="text/html; charset=utf-8")
    with pytest.raises(BadResponse):
        get_connector("rss").fetch(f"{api.url}/")


def test_a_missing_feed_is_not_found(api):
    api.route("GET", "/gone.xml", status=404, body="Not Found", content_type="text/plain")
    with pytest.raises(NotFound, match="nothing at"):
        get_connector("rss").fetch(f"{api.url}/gone.xml")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [("https://alice.example/feed.xml", "https://alice.example/feed.xml"),
     ("alice.example/feed.xml", "https://alice.example/feed.xml")],
)
def test_feed_addresses(handle, expected):
    assert RSSConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "ftp://alice.example/feed.xml", "https://", "not a url"])
def test_other_addresses_are_refused(handle):
    with pytest.raises(ValueError):
        RSSConnector.normalize_handle(handle)
