"""Stack Exchange (any site): reputation and badge counts.

The API's `backoff` field asks a client not to call the same method again for
that many seconds. The answer that carries it is still good, so its numbers
are returned; the back-off is recorded in the cache (shared by every worker)
and a later request to that method within the window raises RateLimited
without calling, so the scheduling layer retries after it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.cache import cache

from influence.connectors.base import BadResponse, Connector, NeedsKey, NotFound, RateLimited, as_int, register, require

_SITE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_SECONDS = re.compile(r"(\d+)\s*seconds")


def parse_users(body: Any, handle: str = "") -> dict[str, int]:
    """GET /users/{ids}?site=...: the one user's reputation and badge counts."""
    items = require(body, "items")
    if not items:
        raise NotFound(f"Stack Exchange: there is no user “{handle}”.")
    user = items[0]
    badges = require(user, "badge_counts")
    return {
        "reputation": as_int(require(user, "reputation"), "reputation"),
        "badges_gold": as_int(require(badges, "gold"), "badge_counts.gold"),
        "badges_silver": as_int(require(badges, "silver"), "badge_counts.silver"),
        "badges_bronze": as_int(require(badges, "bronze"), "badge_counts.bronze"),
    }


def parse_backoff(body: Any) -> int | None:
    """The seconds the API asks us to leave the method alone, if it asks."""
    backoff = body.get("backoff") if isinstance(body, dict) else None
    return as_int(backoff, "backoff") if backoff is not None else None


@register
class StackExchangeConnector(Connector):
    network = "stackexchange"
    label = "Stack Exchange"
    credential_names = ("stackexchange_key",)

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """`site:user_id`, a bare id (Stack Overflow) or a profile URL -> `site:user_id`."""
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            path = parts.path.strip("/").split("/")
            if len(path) < 2 or path[0] != "users":
                raise ValueError("A Stack Exchange profile URL looks like https://stackoverflow.com/users/123.")
            site = parts.netloc.lower().removesuffix(".com").removesuffix(".stackexchange")
            value = f"{site}:{path[1]}"
        site, _, user_id = value.rpartition(":")
        site = site.strip().lower() or "stackoverflow"
        user_id = user_id.strip()
        if not user_id.isdigit() or not _SITE.match(site):
            raise ValueError("Enter site:user_id (for example stackoverflow:22656), or a Stack Overflow user id.")
        return f"{site}:{int(user_id)}", ""

    def raise_for_status(self, response: httpx.Response, not_found: str = "") -> None:
        # Errors come as HTTP 400 with {"error_id", "error_name", "error_message"}.
        if response.status_code == 400:
            body = self.decode(response)
            name = body.get("error_name", "") if isinstance(body, dict) else ""
            message = body.get("error_message", "") if isinstance(body, dict) else ""
            if name == "throttle_violation":
                seconds = _SECONDS.search(message)
                retry_after = float(seconds.group(1)) if seconds else None
                raise RateLimited(f"Stack Exchange is throttling us: {message}", retry_after)
            if name == "bad_parameter" and "site" in message.lower():
                raise NotFound(f"Stack Exchange: {message}")
            if name in ("key_required", "access_denied") or "key" in message.lower():
                raise NeedsKey(f"Stack Exchange refused the key: {message}")
            raise BadResponse(f"Stack Exchange refused the request: {message or name}")
        super().raise_for_status(response, not_found)

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        site, _, user_id = handle.partition(":")
        backoff_key = f"connector-backoff:{self.network}:users"
        if until := cache.get(backoff_key):
            wait = until - self.now().timestamp()
            if wait > 0:
                raise RateLimited(f"Stack Exchange asked us to wait {wait:.0f} s before asking again.", wait)
        params = {"site": site}
        if key := self.credential("stackexchange_key"):
            params["key"] = key
        # Answers are gzipped; httpx decodes them from Content-Encoding.
        body = self.get_json(
            f"{self.setting('STACKEXCHANGE_API_URL')}/users/{user_id}",
            params=params,
            not_found=f"Stack Exchange: there is no user {user_id} on {site}.",
        )
        if not isinstance(body, dict):
            raise BadResponse("Stack Exchange answered something else than its wrapper object")
        if backoff := parse_backoff(body):
            cache.set(backoff_key, self.now().timestamp() + backoff, timeout=backoff + 1)
        return parse_users(body, handle)
