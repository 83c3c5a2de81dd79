"""Limits on how often people may do a thing (send invitations, ...), counted in the shared cache.

Each limit counts uses per key (a workspace, an email address, a client address)
in fixed windows of its period, in the cache every web process shares (Redis in
production), so that N processes do not allow N times the limit. A fixed window
can let through up to twice the count across a window's boundary; these limits
stop floods, not the odd extra message. A limit keyed by the client's address
takes it from influence.core.clientaddress, which knows about TRUSTED_PROXY_COUNT.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    period: int  # seconds


class RateLimited(Exception):
    """A use refused by a limit; `wait` is how many seconds until the next one is allowed."""

    def __init__(self, limit: Limit, wait: int):
        super().__init__(f"{limit.name}: more than {limit.count} in {limit.period} s")
        self.limit = limit
        self.wait = wait

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))


def take(limit: Limit, key: str, now: float | None = None) -> None:
    """Count one use of `limit` by `key`; RateLimited when it is one too many for this window."""
    now = time.time() if now is None else now
    window = int(now // limit.period)
    # Hashed: keys may be email addresses, which the cache's key rules do not all allow.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rate:{limit.name}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=limit.period + 60)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this window starts over
        cache.add(cache_key, 1, timeout=limit.period + 60)
        used = 1
    if used > limit.count:
        raise RateLimited(limit, math.ceil((window + 1) * limit.period - now))
