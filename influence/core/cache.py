"""The cache is optional: Redis away means a cold cache, never an error page.

Everything the cache holds can be lost (rendered charts, API tokens, rate-limit
counters), so with Redis down reads miss, writes are skipped and counters start
from zero: rate limits fail open. The first failure of an outage is logged as a
warning and the first success after it as information, nothing in between;
for a few seconds after a failure the cache is not even tried, so a page does
not wait for a connection attempt on every call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds during which a failed cache is not tried again.
RETRY_AFTER = 5.0


class _Outage:
    """Whether the cache is down in this process, and since when it may be tried again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def skip(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, operation: str, exc: Exception) -> None:
        with self.lock:
            first = not self.down
            self.down, self.retry_at = True, time.monotonic() + RETRY_AFTER
        if first:
            logger.warning(
                "cache unavailable (%s: %s: %s); reads miss and writes are skipped until it answers",
                operation, type(exc).__name__, exc,
            )

    def answered(self) -> None:
        if self.down:
            with self.lock:
                was_down, self.down = self.down, False
            if was_down:
                logger.info("cache available again")


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class OptionalRedisCache(RedisCache):
    """Django's Redis cache, turning every Redis error into a miss (reads) or a no-op (writes)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Django builds a cache object per thread: the outage is the process's, one per server.
        with _outages_lock:
            self.outage = _outages.setdefault(str(server), _Outage())

    def _try(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        if self.outage.skip():
            return fallback
        try:
            result = call()
        except RedisError as exc:
            self.outage.failed(operation, exc)
            return fallback
        self.outage.answered()
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._try("add", lambda: super(OptionalRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._try("get", lambda: super(OptionalRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._try("set", lambda: super(OptionalRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._try("touch", lambda: super(OptionalRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._try("delete", lambda: super(OptionalRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._try("get_many", lambda: super(OptionalRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._try("has_key", lambda: super(OptionalRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """A counter without Redis counts from zero: every limit counted in the cache fails open."""
        return self._try("incr", lambda: super(OptionalRedisCache, self).incr(key, delta, version), delta)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        # Nothing was stored: every key failed, as Django's contract for set_many puts it.
        return self._try(
            "set_many", lambda: super(OptionalRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._try("delete_many", lambda: super(OptionalRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._try("clear", lambda: super(OptionalRedisCache, self).clear(), None)
