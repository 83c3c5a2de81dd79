"""Pure rules of a collection: what a complete answer is, history as rows, back-off delays.

No database, no network: these are tested on plain values.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Mapping
from typing import Any

from influence.connectors import BadResponse
from influence.core.choices import Metric

logger = logging.getLogger(__name__)

# The metrics each network's answer must hold; an answer without one of them is
# partial and stores nothing (a missing metric would silently lower the score).
REQUIRED_METRICS: dict[str, frozenset[str]] = {
    "mastodon": frozenset({"followers", "following", "posts", "engagements_30d"}),
    "bluesky": frozenset({"followers", "following", "posts", "engagements_30d"}),
    "github": frozenset({"followers", "public_repos", "stars"}),
    "stackexchange": frozenset({"reputation", "badges_gold", "badges_silver", "badges_bronze"}),
    "hackernews": frozenset({"karma"}),
    "reddit": frozenset({"karma"}),
    "openalex": frozenset({"citations", "works", "h_index"}),
    "wikipedia": frozenset({"pageviews", "pageviews_30d"}),
    # A channel may hide its subscriber count; the connector then leaves it out
    # rather than report a false 0, and the answer is still complete.
    "youtube": frozenset({"views", "videos"}),
    "rss": frozenset({"posts_90d"}),
}
KNOWN_METRICS = frozenset(Metric.values)
# Observation.value is a bigint.
_MAX_VALUE = 2**63 - 1

# Wikipedia: two years of daily page views on an account's first collection,
# and the 30-day sums that need a full window of them.
HISTORY_DAYS = 730
WINDOW_DAYS = 30

Row = tuple[str, dt.date, int]  # (metric, day, value)


def _check_value(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadResponse(f"{what} is not a whole number: {value!r}")
    if abs(value) > _MAX_VALUE:
        raise BadResponse(f"{what} is out of range: {value!r}")
    return value


def validate_metrics(network: str, metrics: Any) -> dict[str, int]:
    """The metrics to store from a connector's answer; BadResponse if it is partial or malformed."""
    if not isinstance(metrics, Mapping) or not metrics:
        raise BadResponse(f"{network} gave no metrics.")
    clean: dict[str, int] = {}
    for name, value in metrics.items():
        if name not in KNOWN_METRICS:
            # A new metric a connector learnt: not malformed, but nothing to store it as yet.
            logger.warning("collection network=%s skipped unknown metric=%s", network, name)
            continue
        clean[name] = _check_value(value, f"“{name}”")
    missing = sorted(REQUIRED_METRICS.get(network, frozenset()) - clean.keys())
    if missing:
        raise BadResponse(f"{network} gave a partial answer: no {', '.join(missing)}.")
    return clean


def history_rows(history: Any) -> list[Row]:
    """Daily `pageviews`, and the `pageviews_30d` of each day whose 30-day window is inside the history.

    A day missing between the first and the last one had no views (the API
    leaves out empty days), so it counts 0 in the sums.
    """
    if not isinstance(history, Mapping):
        raise BadResponse("the page-view history is not a list of days.")
    views: dict[dt.date, int] = {}
    for day, value in history.items():
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise BadResponse(f"the page-view history has a day that is not a date: {day!r}")
        views[day] = _check_value(value, f"the page views of {day}")
    if not views:
        return []
    first, last = min(views), max(views)
    rows: list[Row] = [("pageviews", day, value) for day, value in sorted(views.items())]
    running = 0
    day = first
    while day <= last:
        running += views.get(day, 0)
        if (day - first).days >= WINDOW_DAYS:
            running -= views.get(day - dt.timedelta(days=WINDOW_DAYS), 0)
        if (day - first).days >= WINDOW_DAYS - 1:
            rows.append(("pageviews_30d", day, running))
        day += dt.timedelta(days=1)
    return rows


def merge_rows(history: list[Row], current: Mapping[str, int], today: dt.date) -> list[Row]:
    """History and today's values as one set of rows, one per (metric, day); today's answer wins."""
    merged = {(metric, day): value for metric, day, value in history}
    merged.update({(metric, today): value for metric, value in current.items()})
    return [(metric, day, value) for (metric, day), value in merged.items()]


def backoff_seconds(
    attempt: int,
    retry_after: float | None,
    base: float,
    cap: float,
    rng: random.Random | None = None,
) -> float:
    """Seconds before retry number `attempt + 1`: exponential, capped, with jitter; never before Retry-After.

    "Equal jitter": half of the exponential delay is kept, the other half drawn
    at random, so that accounts failing together do not come back together.
    """
    uniform = rng.uniform if rng is not None else random.uniform
    delay = min(cap, base * 2**attempt)
    wait = delay / 2 + uniform(0, delay / 2)
    if retry_after is not None:
        # The server named the moment; spread the comebacks a little after it.
        wait = max(wait, retry_after + uniform(0, min(base, cap)))
    return wait
