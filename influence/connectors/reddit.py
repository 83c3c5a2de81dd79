"""Reddit: a user's total karma, anonymously or with app-only OAuth when an app is configured."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import cache

from influence.connectors.base import BadResponse, Connector, NotFound, as_int, register, require

_USER = re.compile(r"^[A-Za-z0-9_-]{3,20}$")


def parse_about(body: Any, handle: str = "") -> dict[str, int]:
    """GET /user/{name}/about(.json): {"kind": "t2", "data": {..., "total_karma": ...}}."""
    data = require(body, "data")
    if data.get("is_suspended"):
        raise NotFound(f"Reddit: the account “{handle}” is suspended.")
    return {"karma": as_int(require(data, "total_karma"), "data.total_karma")}


def parse_token(body: Any) -> tuple[str, int]:
    """POST /api/v1/access_token (client credentials): the bearer token and its lifetime."""
    if isinstance(body, dict) and "error" in body:
        raise BadResponse(f"Reddit refused the app credentials: {body['error']}")
    return str(require(body, "access_token")), as_int(body.get("expires_in", 3600), "expires_in")


def oauth_base(base: str) -> str:
    """The OAuth API base: oauth.reddit.com beside www.reddit.com; the same base elsewhere (tests, mirrors)."""
    parts = urlsplit(base)
    if parts.netloc in ("www.reddit.com", "reddit.com"):
        return urlunsplit((parts.scheme, "oauth.reddit.com", parts.path, "", ""))
    return base


@register
class RedditConnector(Connector):
    network = "reddit"
    label = "Reddit"
    # Anonymous access needs neither; when Reddit refuses it (401/403), an app is what is missing.
    credential_names = ("reddit_client_id", "reddit_client_secret")

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            value = urlsplit(value).path.strip("/").split("/")[-1]
        value = re.sub(r"^/?u(ser)?/", "", value).lstrip("@")
        if not _USER.match(value):
            raise ValueError("Enter a Reddit user name (3 to 20 letters, digits, - or _).")
        return value, ""

    def token(self, base: str, client_id: str, secret: str) -> str:
        """An app-only token, kept in the cache until shortly before it expires."""
        key = "connector-token:reddit:" + hashlib.sha256(f"{base}|{client_id}|{secret}".encode()).hexdigest()
        if token := cache.get(key):
            return token
        response = self.request(
            "POST", f"{base}/api/v1/access_token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        token, lifetime = parse_token(self.decode(response))
        cache.set(key, token, timeout=max(60, lifetime - 300))
        return token

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        base = self.setting("REDDIT_URL")
        not_found = f"Reddit: there is no user “{handle}”."
        client_id, secret = self.credential("reddit_client_id"), self.credential("reddit_client_secret")
        if client_id and secret:
            token = self.token(base, client_id, secret)
            body = self.get_json(
                f"{oauth_base(base)}/user/{handle}/about",
                params={"raw_json": 1},
                headers={"Authorization": f"Bearer {token}"},
                not_found=not_found,
            )
        else:
            body = self.get_json(f"{base}/user/{handle}/about.json", params={"raw_json": 1}, not_found=not_found)
        return parse_about(body, handle)
