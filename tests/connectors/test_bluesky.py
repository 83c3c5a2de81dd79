"""Bluesky: getProfile, getAuthorFeed with its cursor, engagements_30d of own posts."""

from datetime import timedelta

import pytest

from influence.connectors import BadResponse, NotFound, get_connector
from influence.connectors.bluesky import BlueskyConnector, parse_feed, parse_profile
from tests.connectors.conftest import NOW, serve, stored
from tests.connectors.scenarios import route_bluesky

SINCE = NOW - timedelta(days=30)
DID = "did:plc:4xvyd6tb2ka6xrt4xmchvnfs"


def test_profile_gives_did_and_counts():
    assert parse_profile(stored("bluesky", "profile.json")) == {
        "did": DID, "followers": 1500, "following": 200, "posts": 870,
    }


def test_a_feed_page_counts_own_posts_but_not_reposts_or_quotes():
    page = parse_feed(stored("bluesky", "feed_page1.json"), DID, SINCE)
    assert page.engagements == {
        f"at://{DID}/app.bsky.feed.post/3lakp0000pin1": 17,  # pinned: 12 + 3 + 2, 7 quotes not counted
        f"at://{DID}/app.bsky.feed.post/3lbaa0000a001": 7,
        f"at://{DID}/app.bsky.feed.post/3lbry0000rl01": 2,  # a reply is an own post
    }
    assert page.cursor == "2026-11-14T08:00:00.512Z"
    assert not page.reached_end


def test_a_page_reaching_past_the_window_ends_the_walk_and_the_pinned_post_counts_once():
    first = parse_feed(stored("bluesky", "feed_page1.json"), DID, SINCE)
    second = parse_feed(stored("bluesky", "feed_page2.json"), DID, SINCE)
    assert second.reached_end
    assert sum({**first.engagements, **second.engagements}.values()) == 17 + 7 + 2 + 7


def test_a_feed_without_its_list_is_a_bad_response():
    with pytest.raises(BadResponse, match="feed"):
        parse_feed({"cursor": "x"}, DID, SINCE)


def test_fetch_follows_the_cursor_until_older_than_30_days(api, frozen):
    scenario = route_bluesky(api)
    assert get_connector("bluesky").fetch(scenario.handle) == scenario.expected
    feeds = api.requests_to("/xrpc/app.bsky.feed.getAuthorFeed")
    assert len(feeds) == 2
    assert feeds[0].query["actor"] == [DID]
    assert "cursor" not in feeds[0].query
    assert feeds[1].query["cursor"] == ["2026-11-14T08:00:00.512Z"]


def test_the_appviews_profile_not_found_error_body_is_not_found(api):
    serve(api, "bluesky", "/xrpc/app.bsky.actor.getProfile", "error_not_found.json", status=400)
    with pytest.raises(NotFound, match="no account “nobody.bsky.social”"):
        get_connector("bluesky").fetch("nobody.bsky.social")


def test_another_bad_request_is_a_bad_response(api):
    api.route("GET", "/xrpc/app.bsky.actor.getProfile", status=400,
              json={"error": "InvalidRequest", "message": "Error: actor must be a valid did or a handle"})
    with pytest.raises(BadResponse, match="HTTP 400"):
        get_connector("bluesky").fetch("alice.bsky.social")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("alice.bsky.social", "alice.bsky.social"),
        ("@Alice.BSKY.social", "alice.bsky.social"),
        ("alice", "alice.bsky.social"),
        ("alice.example.com", "alice.example.com"),
        (DID, DID),
        ("https://bsky.app/profile/alice.bsky.social", "alice.bsky.social"),
    ],
)
def test_handles_as_users_type_them(handle, expected):
    assert BlueskyConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "alice..bsky.social", "al ice.bsky.social", "did:key:"])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(ValueError):
        BlueskyConnector.normalize_handle(handle)
