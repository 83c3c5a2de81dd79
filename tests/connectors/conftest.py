"""Fixtures of the connector tests: stored API answers, a frozen clock and the fake API's base URLs."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

RESPONSES = Path(__file__).resolve().parent / "responses"
# The stored answers are dated around this moment.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BASE_URL_SETTINGS = (
    "GITHUB_API_URL", "BLUESKY_API_URL", "STACKEXCHANGE_API_URL", "HACKERNEWS_API_URL", "REDDIT_URL",
    "OPENALEX_API_URL", "WIKIMEDIA_API_URL", "YOUTUBE_API_URL",
)
CREDENTIAL_SETTINGS = (
    "GITHUB_TOKEN", "YOUTUBE_API_KEY", "OPENALEX_API_KEY", "STACKEXCHANGE_KEY",
    "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET",
)


def stored(network: str, name: str):
    """A stored answer decoded (JSON), as the parsers receive it."""
    return json.loads((RESPONSES / network / name).read_text())


def stored_bytes(network: str, name: str) -> bytes:
    return (RESPONSES / network / name).read_bytes()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(fake_api, settings):
    """The fake API with every connector pointed at it and no instance-wide credentials."""
    for name in BASE_URL_SETTINGS:
        setattr(settings, name, fake_api.url)
    for name in CREDENTIAL_SETTINGS:
        setattr(settings, name, "")
    cache.delete("connector-backoff:stackexchange:users")
    yield fake_api
    cache.delete("connector-backoff:stackexchange:users")


def serve(server, network: str, path: str, name: str, **answer) -> None:
    """Answer GET `path` with a stored response (JSON, or the raw bytes of other files)."""
    if name.endswith(".json"):
        server.route("GET", path, body=stored_bytes(network, name), content_type="application/json", **answer)
    else:
        server.route("GET", path, body=stored_bytes(network, name), **answer)
