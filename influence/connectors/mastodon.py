"""Mastodon (any instance): profile counts and the engagement of the last 30 days' own posts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from influence.connectors.base import BadResponse, Connector, as_int, parse_time, register, require

WINDOW = timedelta(days=30)
_USER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$|^localhost(:\d+)?$|^\d+(\.\d+){3}(:\d+)?$")


def normalize_instance(instance_url: str) -> str:
    """"mastodon.social" or "https://mastodon.social/" -> "https://mastodon.social"."""
    value = (instance_url or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not _HOST.match(parts.netloc or ""):
        raise ValueError(f"“{instance_url}” is not an instance address such as https://mastodon.social.")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def parse_account(body: Any) -> dict[str, Any]:
    """The Account entity of /api/v1/accounts/lookup: its id and counts."""
    return {
        "id": str(require(body, "id")),
        "followers": as_int(require(body, "followers_count"), "followers_count"),
        "following": as_int(require(body, "following_count"), "following_count"),
        "posts": as_int(require(body, "statuses_count"), "statuses_count"),
    }


@dataclass
class StatusesPage:
    """One page of an account's statuses, reduced to what engagements_30d needs."""

    engagements: dict[str, int] = field(default_factory=dict)  # own post id -> likes + boosts + replies
    reached_end: bool = False  # this page reaches back beyond the window: no need for the next


def parse_statuses(body: Any, since: datetime) -> StatusesPage:
    """Own posts created since `since` with their engagement; boosts of others are skipped.

    Replies are the account's own posts and count; quotes are not engagement.
    The list runs newest first, so a page whose last status is older than the
    window ends the walk (its first items may be pinned posts of any age).
    """
    if not isinstance(body, list):
        raise BadResponse("Mastodon answered statuses that are not a list")
    page = StatusesPage(reached_end=not body)
    for status in body:
        created = parse_time(require(status, "created_at"), "created_at")
        if status.get("reblog") is not None or created < since:
            continue
        page.engagements[str(require(status, "id"))] = sum(
            as_int(require(status, name), name) for name in ("favourites_count", "reblogs_count", "replies_count")
        )
    if body:
        page.reached_end = parse_time(require(body[-1], "created_at"), "created_at") < since
    return page


@register
class MastodonConnector(Connector):
    network = "mastodon"
    label = "Mastodon"

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """`user@host`, `@user@host`, a profile URL, or `user` with the instance URL (which wins)."""
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            value = parts.path.strip("/").lstrip("@") + "@" + parts.netloc
            instance_url = instance_url or f"{parts.scheme}://{parts.netloc}"
        user, _, host = value.lstrip("@").partition("@")
        if not user or not _USER.match(user):
            raise ValueError("Enter a Mastodon handle such as user@mastodon.social.")
        instance = normalize_instance(instance_url) or (normalize_instance(host) if host else "")
        if not instance:
            raise ValueError("Give the account's instance: user@host, or the instance URL.")
        return f"{user}@{host.lower() or urlsplit(instance).netloc}", instance

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        user = handle.partition("@")[0]
        # The instance is the account's home: look the local user up there.
        account = parse_account(
            self.get_json(
                f"{instance_url}/api/v1/accounts/lookup",
                params={"acct": user},
                not_found=f"Mastodon: there is no account “{user}” on {urlsplit(instance_url).netloc}.",
            )
        )
        since = self.now() - WINDOW
        engagements: dict[str, int] = {}
        pages = self.iter_pages(
            f"{instance_url}/api/v1/accounts/{account['id']}/statuses",
            params={"limit": 40, "exclude_reblogs": "true"},
        )
        for body in pages:
            page = parse_statuses(body, since)
            engagements.update(page.engagements)  # by id: a pinned post seen twice counts once
            if page.reached_end:
                break
        return {
            "followers": account["followers"],
            "following": account["following"],
            "posts": account["posts"],
            "engagements_30d": sum(engagements.values()),
        }
