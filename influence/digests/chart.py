"""The weekly email's small trend chart: a PNG of a subject's online and offline shares.

Rendered once per subject and week and shared by every recipient: the PNG is
kept in the cache (Redis in production) for a little over a week, so the
workers of a dispatch render each subject's chart once between them.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable

import matplotlib
import numpy as np

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CACHE_SECONDS = 8 * 24 * 3600
ONLINE_COLOUR = "#2f5bd3"
OFFLINE_COLOUR = "#d9822b"
# One figure per thread, redrawn for each chart: building a figure costs about as much as
# drawing it, and a figure must not be drawn by two threads at once (workers may use threads).
_local = threading.local()


def cache_key(subject_id: int, week_start: dt.date) -> str:
    return f"digest-chart:v1:{subject_id}:{week_start.isoformat()}"


def _figure() -> tuple[Figure, Axes]:
    if not hasattr(_local, "axes"):
        figure = Figure(figsize=(4.8, 1.2), dpi=100, facecolor="#ffffff")
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
        axes.set_axis_off()
        _local.figure, _local.axes = figure, axes
    return _local.figure, _local.axes


def render(online: list[float], offline: list[float]) -> bytes:
    """A 480 x 120 px stacked area chart, oldest day on the left; no text (the email's table
    beside it carries the numbers, which keeps the image small and quick to draw)."""
    figure, axes = _figure()
    for collection in list(axes.collections):
        collection.remove()
    low = np.asarray(online, dtype=float)
    high = low + np.asarray(offline, dtype=float)
    x = np.arange(len(low))
    if len(x) > 1:
        axes.fill_between(x, 0, low, color=ONLINE_COLOUR, linewidth=0)
        axes.fill_between(x, low, high, color=OFFLINE_COLOUR, linewidth=0)
    axes.set_xlim(0, max(len(x) - 1, 1))
    axes.set_ylim(0, max(float(high.max()) if len(x) else 0.0, 10.0) * 1.1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_for(
    subject_id: int,
    week_start: dt.date,
    series: Callable[[], tuple[list[float], list[float]]],
    memo: dict[str, bytes] | None = None,
) -> bytes:
    """The subject's chart for that week: from the memo (this batch), the cache (this week), or
    drawn now from `series` (a callable returning (online, offline) lists, read only if needed)."""
    key = cache_key(subject_id, week_start)
    if memo is not None and key in memo:
        return memo[key]
    png = cache.get(key)
    if png is None:
        online, offline = series()
        png = render(online, offline)
        cache.set(key, png, CACHE_SECONDS)
    if memo is not None:
        memo[key] = png
    return png
