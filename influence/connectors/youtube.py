"""YouTube (Data API v3, needs a key): a channel's subscribers, views and videos."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from influence.connectors.base import Connector, NeedsKey, NotFound, RateLimited, as_int, register, require

_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_HANDLE = re.compile(r"^@[A-Za-z0-9._-]{3,30}$")
_QUOTA = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
_KEY = {"keyInvalid", "keyExpired", "accessNotConfigured", "forbidden", "ipRefererBlocked"}


def parse_channels(body: Any, handle: str = "") -> dict[str, int]:
    """GET /channels?part=statistics: counts come as strings; a hidden subscriber count is left out.

    No such channel is an answer without `items` (or with an empty list).
    """
    items = body.get("items") if isinstance(body, dict) else None
    if not items:
        raise NotFound(f"YouTube: there is no channel “{handle}”.")
    stats = require(items[0], "statistics")
    metrics = {
        "views": as_int(require(stats, "viewCount"), "statistics.viewCount"),
        "videos": as_int(require(stats, "videoCount"), "statistics.videoCount"),
    }
    if not stats.get("hiddenSubscriberCount"):
        metrics["subscribers"] = as_int(require(stats, "subscriberCount"), "statistics.subscriberCount")
    return metrics


def _error(body: Any) -> dict:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def error_message(body: Any) -> str:
    return str(_error(body).get("message", ""))


def error_reasons(body: Any) -> set[str]:
    """The `reason`s of a Google API error body {"error": {"errors": [{"reason": ...}]}}."""
    return {e.get("reason", "") for e in _error(body).get("errors", []) if isinstance(e, dict)}


@register
class YouTubeConnector(Connector):
    network = "youtube"
    label = "YouTube"
    credential_names = ("youtube_api_key",)

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """A channel id (UC...), an @handle (a bare name gets its @), or a channel URL."""
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            path = urlsplit(value).path.strip("/").split("/")
            value = path[1] if path[0] == "channel" and len(path) > 1 else path[0]
        if _CHANNEL_ID.match(value):
            return value, ""
        if not value.startswith("@"):
            value = f"@{value}"
        if not _HANDLE.match(value):
            raise ValueError("Enter a YouTube channel id (UC...) or @handle.")
        return value, ""

    def raise_for_status(self, response: httpx.Response, not_found: str = "") -> None:
        if response.status_code in (400, 403):
            try:
                body = response.json()
            except ValueError:
                body = None
            reasons = error_reasons(body)
            message = error_message(body)
            if reasons & _QUOTA:
                raise RateLimited("YouTube: the API key's quota is used up for now.", None)
            # An invalid key is a 400 "badRequest" whose message names the key.
            if reasons & _KEY or "api key" in message.lower():
                raise NeedsKey("YouTube refused the API key (invalid, expired or not enabled for the Data API).")
        super().raise_for_status(response, not_found)

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        key = self.credential("youtube_api_key")
        if not key:
            raise NeedsKey("YouTube needs an API key: add one to the workspace's credentials (or YOUTUBE_API_KEY).")
        params = {"part": "statistics", "key": key}
        params["forHandle" if handle.startswith("@") else "id"] = handle
        body = self.get_json(f"{self.setting('YOUTUBE_API_URL')}/channels", params=params)
        return parse_channels(body, handle)
