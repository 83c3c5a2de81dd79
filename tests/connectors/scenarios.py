"""One working account per network on the fake API, with the metrics a user should see.

Each scenario routes the stored answers of one account and gives the handle
to ask for and the expected metrics (worked out by hand from the files).
"""

from dataclasses import dataclass
from typing import Any

from tests.connectors.conftest import serve, stored_bytes


@dataclass
class Scenario:
    network: str
    handle: str
    expected: dict[str, int]
    instance: str = ""
    credentials: dict[str, str] | None = None
    settings: dict[str, Any] | None = None


MASTODON_ID = "109302817339847221"


def route_mastodon(server) -> Scenario:
    serve(server, "mastodon", "/api/v1/accounts/lookup", "account.json")
    statuses = f"/api/v1/accounts/{MASTODON_ID}/statuses"
    server.route("GET", statuses, responses=[
        _answer("mastodon", "statuses_page1.json",
                Link=f'<{{url}}{statuses}?limit=40&exclude_reblogs=true&max_id=113430000000000004>; rel="next", '
                     f'<{{url}}{statuses}?limit=40&exclude_reblogs=true&min_id=113500000000000001>; rel="prev"'),
        _answer("mastodon", "statuses_page2.json",
                Link=f'<{{url}}{statuses}?limit=40&exclude_reblogs=true&max_id=113380000000000006>; rel="next", '
                     f'<{{url}}{statuses}?limit=40&exclude_reblogs=true&min_id=113400000000000005>; rel="prev"'),
        _answer("mastodon", "statuses_page3.json"),
    ])
    # 16 + 9 (pinned, once) + 4 (a reply) + 30 + 8; the boost and the old posts are out.
    return Scenario("mastodon", "alice", {"followers": 2000, "following": 310, "posts": 1234, "engagements_30d": 67},
                    instance=server.url)


def route_bluesky(server) -> Scenario:
    serve(server, "bluesky", "/xrpc/app.bsky.actor.getProfile", "profile.json")
    server.route("GET", "/xrpc/app.bsky.feed.getAuthorFeed", responses=[
        _answer("bluesky", "feed_page1.json"),
        _answer("bluesky", "feed_page2.json"),
        _answer("bluesky", "feed_page3.json"),
    ])
    # 17 (pinned, once) + 7 + 2 (a reply) + 7; the repost and the old post are out.
    return Scenario("bluesky", "alice.bsky.social",
                    {"followers": 1500, "following": 200, "posts": 870, "engagements_30d": 33})


def route_github(server) -> Scenario:
    serve(server, "github", "/users/octocat", "user.json")
    serve(server, "github", "/users/octocat/repos", "repos_page1.json",
          headers={"Link": '<{url}/user/583231/repos?type=owner&per_page=100&page=2>; rel="next", '
                           '<{url}/user/583231/repos?type=owner&per_page=100&page=2>; rel="last"'})
    serve(server, "github", "/user/583231/repos", "repos_page2.json",
          headers={"Link": '<{url}/user/583231/repos?type=owner&per_page=100&page=1>; rel="prev", '
                           '<{url}/user/583231/repos?type=owner&per_page=100&page=1>; rel="first"'})
    # 12850 + 3120 + 901 + 0; the fork's 11800 stars are not the user's.
    return Scenario("github", "octocat", {"followers": 21345, "public_repos": 5, "stars": 16871})


def route_stackexchange(server) -> Scenario:
    serve(server, "stackexchange", "/users/22656", "users.json")
    return Scenario("stackexchange", "stackoverflow:22656",
                    {"reputation": 1513285, "badges_gold": 892, "badges_silver": 9207, "badges_bronze": 9348})


def route_hackernews(server) -> Scenario:
    serve(server, "hackernews", "/user/jl.json", "user.json")
    return Scenario("hackernews", "jl", {"karma": 4382})


def route_reddit(server) -> Scenario:
    serve(server, "reddit", "/user/spez_example/about.json", "about.json")
    return Scenario("reddit", "spez_example", {"karma": 940211})


def route_openalex(server) -> Scenario:
    serve(server, "openalex", "/authors/A5023888391", "author.json")
    return Scenario("openalex", "A5023888391", {"citations": 4402, "works": 53, "h_index": 18})


WIKIPEDIA_PATH = "/metrics/pageviews/per-article/en.wikipedia/all-access/user/Ada_Lovelace/daily/20261020/20261119"


def route_wikipedia(server) -> Scenario:
    serve(server, "wikipedia", WIKIPEDIA_PATH, "daily.json")
    # The 18th is the latest day (1018 views); 30 days: Oct 21 to Nov 19, Nov 2 absent.
    return Scenario("wikipedia", "en:Ada Lovelace", {"pageviews": 1018, "pageviews_30d": 28455})


def route_youtube(server) -> Scenario:
    serve(server, "youtube", "/channels", "channel.json")
    return Scenario("youtube", "UC_x5XG1OV2P6uZZ5FSM9Ttw", {"subscribers": 2450000, "views": 317582104, "videos": 6843},
                    credentials={"youtube_api_key": "workspace-key"}, settings={"YOUTUBE_API_KEY": "instance-key"})


def route_rss(server) -> Scenario:
    serve(server, "rss", "/feed.xml", "feed.xml", content_type="application/rss+xml; charset=utf-8")
    return Scenario("rss", f"{server.url}/feed.xml", {"posts_90d": 3})


ROUTES = {
    "mastodon": route_mastodon,
    "bluesky": route_bluesky,
    "github": route_github,
    "stackexchange": route_stackexchange,
    "hackernews": route_hackernews,
    "reddit": route_reddit,
    "openalex": route_openalex,
    "wikipedia": route_wikipedia,
    "youtube": route_youtube,
    "rss": route_rss,
}


def _answer(network: str, name: str, **headers: str) -> dict:
    """One answer of a sequence: a stored JSON file, with headers (Link ...)."""
    return dict(body=stored_bytes(network, name), content_type="application/json", headers=headers)
