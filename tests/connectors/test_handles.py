"""Handles: what the account form stores is what the connector reads again, unchanged."""

import pytest

from influence.connectors import normalize_handle

TYPED = [
    ("mastodon", "@Alice@Mastodon.Social", ""),
    ("mastodon", "alice@example.org", "social.example.org"),
    ("mastodon", "alice", "https://mastodon.social/"),
    ("bluesky", "@Alice.bsky.social", ""),
    ("bluesky", "did:plc:4xvyd6tb2ka6xrt4xmchvnfs", ""),
    ("github", "https://github.com/octocat", ""),
    ("stackexchange", "22656", ""),
    ("stackexchange", "https://math.stackexchange.com/users/7/x", ""),
    ("hackernews", "jl", ""),
    ("reddit", "/u/spez", ""),
    ("openalex", "https://orcid.org/0000-0001-6187-6610", ""),
    ("openalex", "a5023888391", ""),
    ("wikipedia", "Star Wars: A New Hope", ""),
    ("wikipedia", "de:AC/DC", ""),
    ("youtube", "GoogleDevelopers", ""),
    ("rss", "alice.example/feed.xml", ""),
]


@pytest.mark.parametrize(("network", "handle", "instance"), TYPED)
def test_a_normalised_handle_normalises_to_itself(network, handle, instance):
    once = normalize_handle(network, handle, instance)
    assert normalize_handle(network, *once) == once


def test_a_handle_of_an_unknown_network_is_refused():
    from influence.connectors import ConnectorError

    with pytest.raises(ConnectorError):
        normalize_handle("myspace", "tom")
