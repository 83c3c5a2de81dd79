"""Hacker News (the Firebase API): a user's karma."""

from __future__ import annotations

import re
from typing import Any

from influence.connectors.base import Connector, NotFound, as_int, register, require

_USER = re.compile(r"^[A-Za-z0-9_-]{2,15}$")


def parse_user(body: Any, handle: str = "") -> dict[str, int]:
    """GET /user/{id}.json; the API answers a JSON `null` for an unknown user."""
    if body is None:
        raise NotFound(f"Hacker News: there is no user “{handle}”.")
    return {"karma": as_int(require(body, "karma"), "karma")}


@register
class HackerNewsConnector(Connector):
    network = "hackernews"
    label = "Hacker News"

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        # User ids are case-sensitive: keep them as typed.
        value = (handle or "").strip()
        if "news.ycombinator.com/user?id=" in value:
            value = value.rsplit("id=", 1)[1]
        if not _USER.match(value):
            raise ValueError("Enter a Hacker News user name (2 to 15 letters, digits, - or _).")
        return value, ""

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        base = self.setting("HACKERNEWS_API_URL")
        return parse_user(self.get_json(f"{base}/user/{handle}.json"), handle)
