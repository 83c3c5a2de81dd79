"""YouTube: channel statistics sent as strings, a key required, hidden subscriber counts."""

import pytest

from influence.connectors import NeedsKey, NotFound, RateLimited, get_connector
from influence.connectors.youtube import YouTubeConnector, parse_channels
from tests.connectors.conftest import serve, stored
from tests.connectors.scenarios import route_youtube


def test_counts_sent_as_strings_become_numbers():
    assert parse_channels(stored("youtube", "channel.json")) == {
        "subscribers": 2450000, "views": 317582104, "videos": 6843,
    }


def test_a_hidden_subscriber_count_is_left_out_rather_than_recorded_as_zero():
    assert parse_channels(stored("youtube", "channel_hidden.json")) == {"views": 48211, "videos": 37}


def test_an_answer_without_items_is_not_found():
    with pytest.raises(NotFound, match="no channel “@nobody”"):
        parse_channels(stored("youtube", "empty.json"), "@nobody")


def test_fetch_by_channel_id_with_the_workspace_key(api, settings):
    scenario = route_youtube(api)
    settings.YOUTUBE_API_KEY = "instance-key"
    assert get_connector("youtube", scenario.credentials).fetch(scenario.handle) == scenario.expected
    assert api.requests[0].query == {"part": ["statistics"], "key": ["workspace-key"], "id": [scenario.handle]}


def test_fetch_by_handle_uses_for_handle(api, settings):
    serve(api, "youtube", "/channels", "channel.json")
    settings.YOUTUBE_API_KEY = "instance-key"
    get_connector("youtube").fetch("GoogleDevelopers")
    assert api.requests[0].query["forHandle"] == ["@GoogleDevelopers"]
    assert api.requests[0].query["key"] == ["instance-key"]


def test_without_a_key_it_needs_one_and_asks_nothing(api):
    with pytest.raises(NeedsKey, match="YouTube needs an API key"):
        get_connector("youtube").fetch("@GoogleDevelopers")
    assert api.requests == []


def test_an_invalid_key_needs_a_key(api):
    serve(api, "youtube", "/channels", "error_key_invalid.json", status=400)
    with pytest.raises(NeedsKey, match="refused the API key"):
        get_connector("youtube", {"youtube_api_key": "wrong"}).fetch("@GoogleDevelopers")


def test_an_exhausted_quota_is_rate_limited(api):
    serve(api, "youtube", "/channels", "error_quota.json", status=403)
    with pytest.raises(RateLimited, match="quota"):
        get_connector("youtube", {"youtube_api_key": "k"}).fetch("@GoogleDevelopers")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("UC_x5XG1OV2P6uZZ5FSM9Ttw", "UC_x5XG1OV2P6uZZ5FSM9Ttw"),
        ("@GoogleDevelopers", "@GoogleDevelopers"),
        ("GoogleDevelopers", "@GoogleDevelopers"),
        ("https://www.youtube.com/@GoogleDevelopers", "@GoogleDevelopers"),
        ("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw", "UC_x5XG1OV2P6uZZ5FSM9Ttw"),
    ],
)
def test_channel_ids_and_handles_as_users_type_them(handle, expected):
    assert YouTubeConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "@a", "has space", "@" + "x" * 31])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(ValueError):
        YouTubeConnector.normalize_handle(handle)
