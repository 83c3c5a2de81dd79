"""Per-network rate limits shared by every worker, counted in the cache (Redis in production).

Celery's own `rate_limit` counts per worker process and per task name, so N
workers would make N times the calls, and one task would need a name per
network. Here each network (each Mastodon instance) has a counter per time
window in the shared cache; a collection over the limit gets a reservation in a
later window and its task is re-queued to start then, without holding a worker.
"""

from __future__ import annotations

import random
import time
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1.0, "m": 60.0, "h": 3600.0}


@lru_cache(maxsize=8)
def parse_limits(spec: str) -> dict[str, tuple[int, float]]:
    """"github=60/m,reddit=30/m" as {network: (count, period in seconds)}."""
    limits: dict[str, tuple[int, float]] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            network, rate = part.split("=")
            count, period = rate.split("/")
            limits[network.strip()] = (int(count), _PERIODS[period.strip()])
        except (ValueError, KeyError):
            raise ValueError(f"COLLECT_RATE_LIMITS: “{part}” is not network=count/period (period s, m or h)") from None
    return limits


def limit_key(network: str, instance_url: str = "") -> str:
    """Mastodon instances are separate servers with separate limits."""
    host = urlsplit(instance_url).hostname if instance_url else ""
    return f"{network}:{host}" if host else network


def reserve(network: str, instance_url: str = "", now: float | None = None) -> float:
    """Seconds to wait before collecting an account of `network` (0: go now).

    Each call counts as one collection in the current window; past the limit,
    the n-th caller is sent to the window its number falls in, so a backlog
    drains at the allowed pace instead of all coming back at once.
    """
    if not settings.COLLECT_RATE_LIMITS_ENABLED:
        return 0.0
    limit = parse_limits(settings.COLLECT_RATE_LIMITS).get(network)
    if not limit:
        return 0.0
    count, period = limit
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"collect-rate:{limit_key(network, instance_url)}:{window}"
    cache.add(key, 0, timeout=int(period * 2) + 1)
    try:
        taken = cache.incr(key)
    except ValueError:  # expired between add and incr: this window is starting over
        cache.add(key, 1, timeout=int(period * 2) + 1)
        taken = 1
    if taken <= count:
        return 0.0
    windows_ahead = (taken - 1) // count
    start = (window + windows_ahead) * period
    return start - now + random.uniform(0, period / count)
