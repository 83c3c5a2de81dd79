"""The cache is optional: with Redis away, pages answer, limits fail open, and the outage is logged once."""

import copy
import logging
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from influence.collection import ratelimit
from influence.core import ratelimit as limits
from tests.api.conftest import token_client
from tests.factories import ActivityFactory
from tests.support.smtp import free_port


@pytest.fixture
def cache_down(settings):
    """The cache points at a Redis port where nothing listens (pytest-django's `settings` undoes it)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"].update(
        BACKEND="influence.core.cache.OptionalRedisCache", LOCATION=f"redis://127.0.0.1:{free_port()}/0"
    )
    settings.CACHES = caches


def test_pages_and_the_api_answer_with_the_cache_down(cache_down, owner, owner_client, subject, caplog):
    ActivityFactory(subject=subject)
    with caplog.at_level(logging.WARNING, logger="influence.core.cache"):
        for url in (reverse("home"), reverse("subject_detail", args=[subject.pk]), reverse("user_settings")):
            assert owner_client.get(url).status_code == 200, url
        response = owner_client.post(reverse("activity_create", args=[subject.pk]),
                                     {"kind": "talk", "title": "Talk", "date": "2026-03-01"})
        assert response.status_code == 302
        api = token_client(owner)
        for _ in range(3):
            # The token's rate is counted in the cache: without it, requests are let through.
            assert api.get("/api/v1/subjects/").status_code == 200
    # One warning for the outage, not one per call.
    warnings = [r for r in caplog.records if r.name == "influence.core.cache"]
    assert len(warnings) == 1 and "cache unavailable" in warnings[0].getMessage()


def test_reads_miss_writes_are_skipped_and_counters_fail_open(cache_down, settings):
    cache.set("key", "value")
    assert cache.get("key") is None and cache.get("key", "default") == "default"
    assert cache.add("key", 1) is False and cache.get_many(["key"]) == {}
    assert cache.incr("counter") == 1 and cache.incr("counter") == 1
    cache.delete("key")
    cache.clear()
    # The collection's per-network limit lets every collection go rather than stopping them all.
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    settings.COLLECT_RATE_LIMITS = "github=1/h"
    assert [ratelimit.reserve("github", now=1000.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    # So does a per-person limit (invitations ...).
    for _ in range(5):
        limits.take(limits.Limit("test", count=1, period=60), "someone@example.com")


def test_the_cache_is_used_again_once_it_answers(monkeypatch, settings, caplog):
    """A working Redis after an outage: values are kept again, and its return is logged."""
    from influence.core import cache as optional

    monkeypatch.setattr(optional, "RETRY_AFTER", 0.0)
    prefix = {"KEY_PREFIX": f"optional-{uuid.uuid4().hex[:8]}"}
    away = optional.OptionalRedisCache(f"redis://127.0.0.1:{free_port()}/0", prefix)
    assert away.get("key") is None and away.outage.down
    # The same outage, seen by a cache whose server answers (the suite's Redis) once it is back.
    back = optional.OptionalRedisCache(settings.REDIS_URL, prefix)
    back.outage = away.outage
    with caplog.at_level(logging.INFO, logger="influence.core.cache"):
        back.set("key", "kept", 30)
    assert back.get("key") == "kept" and not away.outage.down
    assert "cache available again" in caplog.text
    back.delete("key")
