"""GitHub: followers, public repositories and the stars of the user's own repositories."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from influence.connectors.base import BadResponse, Connector, as_int, register, require

_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def parse_user(body: Any) -> dict[str, int]:
    """GET /users/{login}: followers and public repositories."""
    return {
        "followers": as_int(require(body, "followers"), "followers"),
        "public_repos": as_int(require(body, "public_repos"), "public_repos"),
    }


def parse_repos(body: Any) -> int:
    """One page of GET /users/{login}/repos: the stars of the repositories that are not forks."""
    if not isinstance(body, list):
        raise BadResponse("GitHub answered repositories that are not a list")
    return sum(
        as_int(require(repo, "stargazers_count"), "stargazers_count")
        for repo in body
        if not require(repo, "fork")
    )


@register
class GitHubConnector(Connector):
    network = "github"
    label = "GitHub"
    credential_names = ("github_token",)

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        value = (handle or "").strip()
        if value.startswith(("http://", "https://")):
            value = urlsplit(value).path.strip("/").split("/")[0]
        value = value.lstrip("@")
        if not _LOGIN.match(value):
            raise ValueError("Enter a GitHub login: letters, digits and single hyphens, at most 39 characters.")
        return value, ""

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token := self.credential("github_token"):
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        base = self.setting("GITHUB_API_URL")
        not_found = f"GitHub: there is no user “{handle}”."
        metrics = parse_user(self.get_json(f"{base}/users/{handle}", headers=self.headers(), not_found=not_found))
        pages = self.iter_pages(
            f"{base}/users/{handle}/repos",
            params={"type": "owner", "per_page": 100},
            headers=self.headers(),
            not_found=not_found,
        )
        metrics["stars"] = sum(parse_repos(body) for body in pages)
        return metrics
