"""OpenAlex: an author's citations, works and h-index."""

from __future__ import annotations

import re
from typing import Any

from influence.connectors.base import Connector, as_int, register, require

_AUTHOR = re.compile(r"^(?:https?://openalex\.org/)?([Aa]\d{4,12})$")
_ORCID = re.compile(r"^(?:https?://orcid\.org/|orcid:)?(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])$")


def parse_author(body: Any) -> dict[str, int]:
    """GET /authors/{id}: cited_by_count, works_count and summary_stats.h_index."""
    return {
        "citations": as_int(require(body, "cited_by_count"), "cited_by_count"),
        "works": as_int(require(body, "works_count"), "works_count"),
        "h_index": as_int(require(body, "summary_stats", "h_index"), "summary_stats.h_index"),
    }


@register
class OpenAlexConnector(Connector):
    network = "openalex"
    label = "OpenAlex"
    credential_names = ("openalex_api_key",)

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """An author id (A5023888391, or its openalex.org URL) or an ORCID (bare, orcid: or URL)."""
        value = (handle or "").strip()
        if match := _AUTHOR.match(value):
            return match.group(1).upper(), ""
        if match := _ORCID.match(value):
            return f"orcid:{match.group(1).upper()}", ""
        raise ValueError("Enter an OpenAlex author id (A5023888391) or an ORCID (0000-0002-1825-0097).")

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        params = {}
        if key := self.credential("openalex_api_key"):
            params["api_key"] = key
        body = self.get_json(
            f"{self.setting('OPENALEX_API_URL')}/authors/{handle}",
            params=params,
            not_found=f"OpenAlex: there is no author “{handle}”.",
        )
        return parse_author(body)
