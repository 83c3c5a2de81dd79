"""Wikipedia: daily user pageviews of an article about the subject (Wikimedia REST API).

The API keeps years of daily history, so `fetch_history` gives the collection
layer a backfill for an account's first collection.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from influence.connectors.base import BadResponse, Connector, NotFound, as_int, register, require

WINDOW_DAYS = 30
HISTORY_DAYS = 730
_LANG = re.compile(r"^[a-z][a-z-]{1,15}$")


def parse_daily(body: Any) -> dict[date, int]:
    """/metrics/pageviews/per-article/.../daily/{start}/{end}: {day: views}."""
    items = require(body, "items")
    if not isinstance(items, list):
        raise BadResponse("Wikimedia answered items that are not a list")
    views: dict[date, int] = {}
    for item in items:
        stamp = str(require(item, "timestamp"))
        try:
            day = datetime.strptime(stamp[:8], "%Y%m%d").date()
        except ValueError:
            raise BadResponse(f"“timestamp” is not a date: {stamp!r}") from None
        views[day] = views.get(day, 0) + as_int(require(item, "views"), "views")
    return views


def summarize(daily: dict[date, int], today: date) -> dict[str, int]:
    """`pageviews` of the latest day available; `pageviews_30d` over the 30 days before today.

    A day without any view is absent from the API's answer, hence a sum rather
    than a count of items.
    """
    if not daily:
        raise BadResponse("Wikimedia answered no pageviews at all")
    first = today - timedelta(days=WINDOW_DAYS)
    return {
        "pageviews": daily[max(daily)],
        "pageviews_30d": sum(v for day, v in daily.items() if first <= day < today),
    }


@register
class WikipediaConnector(Connector):
    network = "wikipedia"
    label = "Wikipedia"

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """`lang:Article_Title`, a bare title (English) or an article URL -> `lang:Article_Title`."""
        value = (handle or "").strip()
        lang = "en"
        if value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            if not parts.netloc.endswith(".wikipedia.org") or not parts.path.startswith("/wiki/"):
                raise ValueError("A Wikipedia URL looks like https://en.wikipedia.org/wiki/Article_Title.")
            lang = parts.netloc.split(".")[0].lower()
            value = unquote(parts.path.removeprefix("/wiki/"))
        else:
            prefix, colon, rest = value.partition(":")
            if colon and _LANG.match(prefix.strip()):
                lang, value = prefix.strip(), rest
        title = value.strip().replace(" ", "_")
        if not title or not _LANG.match(lang) or any(c in title for c in "#<>[]{}|"):
            raise ValueError("Enter lang:Article_Title (for example en:Ada_Lovelace), or an English title.")
        # MediaWiki titles start with a capital letter.
        return f"{lang}:{title[0].upper()}{title[1:]}", ""

    def daily(self, handle: str, start: date, end: date) -> dict[date, int]:
        lang, _, title = handle.partition(":")
        url = (
            f"{self.setting('WIKIMEDIA_API_URL')}/metrics/pageviews/per-article/{lang}.wikipedia/all-access/user/"
            f"{quote(title, safe='')}/daily/{start:%Y%m%d}/{end:%Y%m%d}"
        )
        # The API answers 404 both for an unknown article and for one without data in the range.
        body = self.get_json(url, not_found=f"Wikipedia: no pageviews for “{title}” on {lang}.wikipedia.")
        return parse_daily(body)

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        today = self.now().date()
        # One day more than the window, so a late day still leaves a latest value.
        daily = self.daily(handle, today - timedelta(days=WINDOW_DAYS + 1), today - timedelta(days=1))
        return summarize(daily, today)

    def fetch_history(self, handle: str, days: int = HISTORY_DAYS) -> dict[date, int]:
        """Daily pageviews of the `days` days before today (the API's data starts mid-2015)."""
        try:
            handle, _ = self.normalize_handle(handle)
        except ValueError as exc:
            raise NotFound(f"{self.name}: {exc}") from None
        today = self.now().date()
        with self:
            return self.daily(handle, today - timedelta(days=days), today - timedelta(days=1))
