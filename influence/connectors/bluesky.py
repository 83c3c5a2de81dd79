"""Bluesky (public AppView): profile counts and the engagement of the last 30 days' own posts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from influence.connectors.base import BadResponse, Connector, as_int, parse_time, register, require

WINDOW = timedelta(days=30)
REPOST = "app.bsky.feed.defs#reasonRepost"
PIN = "app.bsky.feed.defs#reasonPin"
_HANDLE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_DID = re.compile(r"^did:(plc|web):[A-Za-z0-9._:%-]+$")
_NOT_FOUND_MESSAGES = ("profile not found", "actor not found")


def parse_profile(body: Any) -> dict[str, Any]:
    """app.bsky.actor.getProfile (profileViewDetailed): its DID and counts."""
    return {
        "did": require(body, "did"),
        "followers": as_int(body.get("followersCount", 0), "followersCount"),
        "following": as_int(body.get("followsCount", 0), "followsCount"),
        "posts": as_int(body.get("postsCount", 0), "postsCount"),
    }


@dataclass
class FeedPage:
    engagements: dict[str, int] = field(default_factory=dict)  # own post uri -> likes + reposts + replies
    reached_end: bool = False
    cursor: str | None = None


def parse_feed(body: Any, did: str, since: datetime) -> FeedPage:
    """One page of app.bsky.feed.getAuthorFeed, reduced to the own posts created since `since`.

    An item with a repost `reason` is someone else's post shown in this feed;
    a pinned item (reasonPin) is an own post that appears again in its place,
    hence the keys by URI. Quotes are not counted. Items run newest first (by
    the time they entered the feed), so an unpinned item older than the window
    ends the walk.
    """
    feed = require(body, "feed")
    if not isinstance(feed, list):
        raise BadResponse("Bluesky answered a feed that is not a list")
    page = FeedPage(cursor=body.get("cursor") or None, reached_end=not feed)
    for item in feed:
        post = require(item, "post")
        reason = (item.get("reason") or {}).get("$type")
        if reason == REPOST:
            entered = parse_time(require(item, "reason", "indexedAt"), "reason.indexedAt")
        else:
            created = require(post, "record").get("createdAt") or require(post, "indexedAt")
            entered = parse_time(created, "record.createdAt")
            author = (post.get("author") or {}).get("did")
            if entered >= since and author in (None, did):
                page.engagements[require(post, "uri")] = sum(
                    as_int(post.get(name, 0), name) for name in ("likeCount", "repostCount", "replyCount")
                )
        if reason != PIN and entered < since:
            page.reached_end = True
    if page.cursor is None:
        page.reached_end = True
    return page


@register
class BlueskyConnector(Connector):
    network = "bluesky"
    label = "Bluesky"

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """`name.bsky.social`, `@name.bsky.social`, a DID, a profile URL; a bare `name` means .bsky.social."""
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            value = urlsplit(value).path.rstrip("/").rsplit("/", 1)[-1]
        value = value.lstrip("@")
        if _DID.match(value):
            return value, ""
        value = value.lower()
        if value and "." not in value:
            value = f"{value}.bsky.social"
        if not _HANDLE.match(value):
            raise ValueError("Enter a Bluesky handle such as name.bsky.social, or a DID.")
        return value, ""

    def is_not_found(self, response: httpx.Response) -> bool:
        # The AppView answers 400 {"error": "InvalidRequest", "message": "Profile not found"}.
        if response.status_code == 400:
            try:
                body = response.json()
            except ValueError:
                return False
            message = str(body.get("message", "")).lower() if isinstance(body, dict) else ""
            return any(m in message for m in _NOT_FOUND_MESSAGES)
        return super().is_not_found(response)

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        base = self.setting("BLUESKY_API_URL")
        not_found = f"Bluesky: there is no account “{handle}”."
        profile = parse_profile(
            self.get_json(f"{base}/xrpc/app.bsky.actor.getProfile", params={"actor": handle}, not_found=not_found)
        )
        since = self.now() - WINDOW
        engagements: dict[str, int] = {}
        params: dict[str, Any] = {
            "actor": profile["did"], "limit": 100, "filter": "posts_with_replies", "includePins": "true",
        }
        for _ in range(100):  # bounds a server that never stops giving cursors
            page = parse_feed(
                self.get_json(f"{base}/xrpc/app.bsky.feed.getAuthorFeed", params=params, not_found=not_found),
                profile["did"],
                since,
            )
            engagements.update(page.engagements)
            if page.reached_end:
                break
            params["cursor"] = page.cursor
        return {
            "followers": profile["followers"],
            "following": profile["following"],
            "posts": profile["posts"],
            "engagements_30d": sum(engagements.values()),
        }
