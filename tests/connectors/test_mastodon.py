"""Mastodon: account lookup, statuses over Link pages, engagements_30d of own posts."""

from datetime import timedelta

import pytest

from influence.connectors import BadResponse, NotFound, get_connector
from influence.connectors.mastodon import MastodonConnector, parse_account, parse_statuses
from tests.connectors.conftest import NOW, serve, stored
from tests.connectors.scenarios import MASTODON_ID, route_mastodon

SINCE = NOW - timedelta(days=30)


def test_account_lookup_gives_id_and_counts():
    assert parse_account(stored("mastodon", "account.json")) == {
        "id": MASTODON_ID, "followers": 2000, "following": 310, "posts": 1234,
    }


def test_a_page_counts_own_posts_and_replies_but_not_boosts_quotes_or_old_posts():
    page = parse_statuses(stored("mastodon", "statuses_page1.json"), SINCE)
    assert page.engagements == {
        "113480000000000005": 9,  # pinned: 6 + 2 + 1, its 3 quotes not counted; listed twice, kept once
        "113500000000000001": 16,  # 10 + 4 + 2, 5 quotes not counted
        "113470000000000003": 4,  # a reply is an own post
        "113430000000000004": 30,
    }
    assert "113490000000000002" not in page.engagements  # the boost of someone else's post
    assert "111111111111111111" not in page.engagements  # pinned, but from last year
    assert not page.reached_end  # an old pinned post at the top does not end the walk


def test_a_page_whose_last_status_is_older_than_the_window_ends_the_walk():
    page = parse_statuses(stored("mastodon", "statuses_page2.json"), SINCE)
    assert page.engagements == {"113400000000000005": 8}
    assert page.reached_end


def test_an_empty_page_ends_the_walk_and_a_non_list_is_a_bad_response():
    assert parse_statuses([], SINCE).reached_end
    with pytest.raises(BadResponse):
        parse_statuses({"error": "oops"}, SINCE)


def test_fetch_follows_link_pages_until_older_than_30_days(api, frozen):
    scenario = route_mastodon(api)
    assert get_connector("mastodon").fetch(scenario.handle, scenario.instance) == scenario.expected
    assert api.requests_to("/api/v1/accounts/lookup")[0].query == {"acct": ["alice"]}
    pages = api.requests_to(f"/api/v1/accounts/{MASTODON_ID}/statuses")
    assert len(pages) == 2  # the third page lies beyond the window
    assert pages[1].query["max_id"] == ["113430000000000004"]


def test_an_unknown_account_is_not_found(api):
    serve(api, "mastodon", "/api/v1/accounts/lookup", "error_not_found.json", status=404)
    with pytest.raises(NotFound, match="no account “nobody” on 127.0.0.1"):
        get_connector("mastodon").fetch("nobody", api.url)


@pytest.mark.parametrize(
    ("handle", "instance", "expected"),
    [
        ("alice@mastodon.social", "", ("alice@mastodon.social", "https://mastodon.social")),
        ("@alice@Mastodon.Social", "", ("alice@mastodon.social", "https://mastodon.social")),
        ("alice", "https://mastodon.social/", ("alice@mastodon.social", "https://mastodon.social")),
        ("alice", "mastodon.social", ("alice@mastodon.social", "https://mastodon.social")),
        # The instance URL wins over the handle's host (an account domain served from another host).
        ("alice@example.org", "https://social.example.org", ("alice@example.org", "https://social.example.org")),
        ("https://fosstodon.org/@alice", "", ("alice@fosstodon.org", "https://fosstodon.org")),
    ],
)
def test_handles_as_users_type_them(handle, instance, expected):
    assert MastodonConnector.normalize_handle(handle, instance) == expected


@pytest.mark.parametrize(("handle", "instance"), [("alice", ""), ("", "https://mastodon.social"),
                                                  ("alice@", ""), ("al ice@mastodon.social", ""),
                                                  ("alice", "ftp://mastodon.social")])
def test_handles_without_an_instance_or_malformed_are_refused(handle, instance):
    with pytest.raises(ValueError):
        MastodonConnector.normalize_handle(handle, instance)
