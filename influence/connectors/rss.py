"""RSS and Atom feeds: how many entries were published in the last 90 days (posting cadence)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import feedparser

from influence.connectors.base import BadResponse, Connector, register

WINDOW = timedelta(days=90)


def parse_feed(content: bytes, now: datetime) -> dict[str, int]:
    """`posts_90d` of a feed document: entries published (else updated) in the 90 days before `now`.

    feedparser reads RSS 0.9x to 2.0 and Atom alike; a document in which it
    finds no feed version is not a feed.
    """
    feed = feedparser.parse(content)
    if not feed.get("version"):
        raise BadResponse("RSS: the address does not give an RSS or Atom feed")
    since = now - WINDOW
    count = 0
    for entry in feed.entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp is None:
            continue
        published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
        if since <= published <= now + timedelta(days=1):
            count += 1
    return {"posts_90d": count}


@register
class RSSConnector(Connector):
    network = "rss"
    label = "RSS"

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """The feed's http(s) address ("example.com/feed.xml" gets https://)."""
        value = (handle or "").strip()
        if value and "://" not in value:
            value = f"https://{value}"
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            raise ValueError("Enter the feed's address, such as https://example.com/feed.xml.")
        return value, ""

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        response = self.request(
            "GET",
            handle,
            headers={"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"},
            not_found=f"RSS: nothing at {handle}.",
        )
        return parse_feed(response.content, self.now())
