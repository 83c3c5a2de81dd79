"""A cache of the test's own: rate-limit counters in the shared Redis start from zero in each test."""

import copy
import uuid


def use_own_cache(settings) -> None:
    """Give this test a cache key prefix of its own (pytest-django's `settings` fixture undoes it)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:8]}"
    # Django's test signals drop the cache connections when CACHES changes.
    settings.CACHES = caches
