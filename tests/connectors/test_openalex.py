"""OpenAlex: citations, works and h-index of an author id or ORCID."""

import pytest

from influence.connectors import BadResponse, NotFound, get_connector
from influence.connectors.openalex import OpenAlexConnector, parse_author
from tests.connectors.conftest import serve, stored
from tests.connectors.scenarios import route_openalex


def test_author_gives_citations_works_and_h_index():
    assert parse_author(stored("openalex", "author.json")) == {"citations": 4402, "works": 53, "h_index": 18}


def test_an_author_without_summary_stats_is_a_bad_response():
    body = stored("openalex", "author.json")
    del body["summary_stats"]
    with pytest.raises(BadResponse, match="summary_stats"):
        parse_author(body)


def test_fetch_sends_the_api_key_when_given(api, settings):
    scenario = route_openalex(api)
    assert get_connector("openalex").fetch(scenario.handle) == scenario.expected
    assert api.requests[0].query == {}
    settings.OPENALEX_API_KEY = "instance-key"
    get_connector("openalex").fetch(scenario.handle)
    assert api.requests[1].query == {"api_key": ["instance-key"]}


def test_fetch_by_orcid(api):
    serve(api, "openalex", "/authors/orcid:0000-0001-6187-6610", "author.json")
    assert get_connector("openalex").fetch("https://orcid.org/0000-0001-6187-6610")["h_index"] == 18


def test_an_unknown_author_is_not_found(api):
    serve(api, "openalex", "/authors/A1234567890", "error_not_found.json", status=404)
    with pytest.raises(NotFound, match="no author “A1234567890”"):
        get_connector("openalex").fetch("A1234567890")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("A5023888391", "A5023888391"),
        ("a5023888391", "A5023888391"),
        ("https://openalex.org/A5023888391", "A5023888391"),
        ("0000-0001-6187-6610", "orcid:0000-0001-6187-6610"),
        ("orcid:0000-0002-1694-233x", "orcid:0000-0002-1694-233X"),
        ("https://orcid.org/0000-0001-6187-6610", "orcid:0000-0001-6187-6610"),
    ],
)
def test_author_ids_and_orcids_as_users_type_them(handle, expected):
    assert OpenAlexConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "Jason Priem", "W2741809807", "0000-0001-6187"])
def test_other_handles_are_refused(handle):
    with pytest.raises(ValueError):
        OpenAlexConnector.normalize_handle(handle)
