"""The shared HTTP work of every connector: errors from HTTP outcomes, pages, credentials, User-Agent."""

import socket
from datetime import timedelta

import httpx
import pytest

from influence.connectors import (
    BadResponse,
    ConnectorError,
    NeedsKey,
    NotFound,
    RateLimited,
    TemporaryError,
    connector_class,
    get_connector,
)
from influence.connectors.base import NETWORKS, Connector, as_int, parse_retry_after, require
from influence.connectors.http import new_client
from tests.connectors.conftest import NOW


class Probe(Connector):
    """A network of our own: GET {base}{path} and return its JSON."""

    network = "probe"
    label = "Probe"
    credential_names = ("github_token",)

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.base = base

    def collect(self, handle, instance_url):
        return self.get_json(f"{self.base}{handle}", not_found=f"Probe: no “{handle}”.")


def probe(api, path, **kwargs):
    return Probe(api.url, **kwargs).fetch(path)


def test_every_network_has_a_registered_connector_with_its_name():
    for network in NETWORKS:
        assert connector_class(network).network == network
    assert set(NETWORKS) == {
        "mastodon", "bluesky", "github", "stackexchange", "hackernews",
        "reddit", "openalex", "wikipedia", "youtube", "rss",
    }


def test_an_unknown_network_is_a_connector_error_naming_it():
    with pytest.raises(ConnectorError, match="no connector for the network “myspace”"):
        get_connector("myspace")
    with pytest.raises(ConnectorError):
        get_connector("manual")


def test_a_404_is_not_found_with_the_connectors_message(api):
    api.route("GET", "/users/ghost", status=404, json={"message": "Not Found"})
    with pytest.raises(NotFound, match="Probe: no “/users/ghost”."):
        probe(api, "/users/ghost")


def test_a_429_is_rate_limited_with_retry_after_in_seconds(api):
    api.route("GET", "/busy", status=429, headers={"Retry-After": "120"}, json={"error": "slow down"})
    with pytest.raises(RateLimited) as caught:
        probe(api, "/busy")
    assert caught.value.retry_after == 120
    assert caught.value.retryable
    assert "retry after 120 s" in str(caught.value)


def test_a_429_with_an_http_date_waits_until_that_date(api, frozen):
    when = NOW + timedelta(minutes=5)
    api.route("GET", "/busy", status=429, headers={"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    with pytest.raises(RateLimited) as caught:
        probe(api, "/busy")
    assert caught.value.retry_after == 300


def test_a_429_without_retry_after_has_none(api):
    api.route("GET", "/busy", status=429, json={})
    with pytest.raises(RateLimited) as caught:
        probe(api, "/busy")
    assert caught.value.retry_after is None


def test_retry_after_in_the_past_or_unreadable_is_safe():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("", NOW) is None
    assert parse_retry_after("-5", NOW) == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_temporary(api, status):
    api.route("GET", "/broken", status=status, body="<html>oops</html>", content_type="text/html")
    with pytest.raises(TemporaryError, match=f"server error \\(HTTP {status}\\)") as caught:
        probe(api, "/broken")
    assert caught.value.retryable
    assert not isinstance(caught.value, RateLimited)


def test_a_timeout_is_temporary(api):
    api.route("GET", "/slow", delay=2, json={})
    with pytest.raises(TemporaryError, match="did not answer in time"):
        Probe(api.url, timeout=0.2).fetch("/slow")


def test_a_refused_connection_is_temporary():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TemporaryError, match="could not be reached"):
        Probe(f"http://127.0.0.1:{port}").fetch("/anything")


def test_invalid_json_is_a_bad_response(api):
    api.route("GET", "/odd", body=b"{not json", content_type="application/json")
    with pytest.raises(BadResponse, match="not JSON"):
        probe(api, "/odd")
    assert not BadResponse.retryable


def test_a_missing_field_is_a_bad_response_naming_it():
    with pytest.raises(BadResponse, match="no field “summary_stats.h_index”"):
        require({"summary_stats": {}}, "summary_stats", "h_index")
    assert require({"a": [{"b": 3}]}, "a", 0, "b") == 3


def test_counts_sent_as_strings_are_numbers_and_other_values_are_bad_responses():
    assert as_int("1234", "viewCount") == 1234
    assert as_int(12.0, "x") == 12
    for value in ("12a", None, True, 1.5, [1]):
        with pytest.raises(BadResponse):
            as_int(value, "x")


def test_a_refusal_without_the_key_asks_for_the_key(api):
    api.route("GET", "/private", status=401, json={"message": "Requires authentication"})
    with pytest.raises(NeedsKey, match="needs a GitHub token"):
        probe(api, "/private")


def test_a_refusal_with_a_key_says_the_key_was_refused(api):
    api.route("GET", "/private", status=403, json={"message": "Bad credentials"})
    with pytest.raises(NeedsKey, match="refused the configured credentials"):
        probe(api, "/private", credentials={"github_token": "wrong"})


def test_another_client_error_is_a_bad_response(api):
    api.route("GET", "/teapot", status=418, json={})
    with pytest.raises(BadResponse, match="HTTP 418"):
        probe(api, "/teapot")


def test_every_request_carries_the_configured_user_agent(api, settings):
    settings.INFLUENCE_USER_AGENT = "Influence/9.9 (+https://influence.example)"
    api.route("GET", "/ok", json={"fine": True})
    assert probe(api, "/ok") == {"fine": True}
    assert api.requests_to("/ok")[0].headers["User-Agent"] == "Influence/9.9 (+https://influence.example)"


def test_workspace_credentials_win_over_the_instance_wide_ones(settings):
    settings.GITHUB_TOKEN = "instance-token"
    settings.STACKEXCHANGE_KEY = ""
    connector = get_connector("github", {"github_token": "workspace-token"})
    assert connector.credential("github_token") == "workspace-token"
    assert get_connector("github", {"github_token": ""}).credential("github_token") == "instance-token"
    assert get_connector("github").credential("stackexchange_key") == ""


def test_timeouts_default_to_connect_5_and_read_10_seconds_and_can_be_overridden(settings):
    del settings.COLLECT_HTTP_TIMEOUT
    timeout = get_connector("github").timeout
    assert (timeout.connect, timeout.read) == (5.0, 10.0)
    short = get_connector("github", timeout=2).timeout
    assert (short.connect, short.read) == (2, 2)
    settings.COLLECT_HTTP_TIMEOUT = 30
    assert get_connector("github").timeout.read == 30
    explicit = httpx.Timeout(7.0, connect=1.0)
    assert get_connector("github", timeout=explicit).timeout is explicit


def test_pages_follow_the_link_header_until_there_is_no_next(api):
    api.route("GET", "/items", json=[1, 2], headers={"Link": '</items/2?cursor=b>; rel="next"'})
    api.route("GET", "/items/2", json=[3], headers={"Link": '<{url}/items/3?cursor=c>; rel="next", </>; rel="first"'})
    api.route("GET", "/items/3", json=[4], headers={"Link": '</items>; rel="first"'})
    with Probe(api.url) as connector:
        pages = list(connector.iter_pages(f"{api.url}/items", params={"per_page": 2}))
    assert pages == [[1, 2], [3], [4]]
    assert [r.query for r in api.requests] == [{"per_page": ["2"]}, {"cursor": ["b"]}, {"cursor": ["c"]}]


def test_pages_stop_at_the_bound_when_a_server_loops(api):
    api.route("GET", "/loop", json=[], headers={"Link": '</loop>; rel="next"'})
    with Probe(api.url) as connector:
        assert len(list(connector.iter_pages(f"{api.url}/loop", max_pages=5))) == 5


def test_a_handle_the_network_cannot_have_is_not_found_before_any_request(api):
    with pytest.raises(NotFound, match="not a valid handle"):
        get_connector("github").fetch("not a login!")
    assert api.requests == []


def test_a_client_given_by_the_caller_is_used_and_left_open(api):
    api.route("GET", "/ok", json={"fine": True})
    with new_client() as shared:
        shared.headers["X-Shared"] = "yes"
        connector = Probe(api.url, client=shared)
        assert connector.fetch("/ok") == {"fine": True}
        assert connector.fetch("/ok") == {"fine": True}
        assert not shared.is_closed
    assert [r.headers["X-Shared"] for r in api.requests] == ["yes", "yes"]


def test_a_client_made_by_the_connector_lives_until_the_outermost_block_ends(api):
    api.route("GET", "/ok", json={"fine": True})
    connector = Probe(api.url)
    with connector:
        outer = connector.client
        assert connector.fetch("/ok") == {"fine": True}
        assert connector.client is outer and not outer.is_closed
    assert outer.is_closed
