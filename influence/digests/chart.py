"""The weekly email's small trend chart: a PNG of a subject's online and offline shares, stacked
(together the score), on a fixed 0-100 axis with a few dated ticks below.

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
TEXT_COLOUR = "#5b6475"
GRID_COLOUR = "#dde1ea"
WIDTH, HEIGHT = 480, 160  # pixels, as the email's <img> says
SCORE_TICKS = (0, 50, 100)
DATE_TICKS = 4
# One figure per thread, redrawn for each chart: building a figure costs about as much as
# drawing it, and a figure must not be drawn by two threads at once (workers may use threads).
_local = threading.local()


def cache_key(subject_id: int, week_start: dt.date) -> str:
    return f"digest-chart:v2:{subject_id}:{week_start.isoformat()}"


def _figure() -> tuple[Figure, Axes]:
    if not hasattr(_local, "axes"):
        figure = Figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=100, facecolor="#ffffff")
        FigureCanvasAgg(figure)
        # Room on the left for the score ticks and below for the dates.
        axes = figure.add_axes((0.07, 0.16, 0.9, 0.78))
        axes.set_ylim(0, 100)
        axes.set_yticks(SCORE_TICKS)
        axes.tick_params(labelsize=8, colors=TEXT_COLOUR, length=0, pad=3)
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        axes.set_axisbelow(True)
        for name, spine in axes.spines.items():
            spine.set_visible(name == "bottom")
            spine.set_color(GRID_COLOUR)
        _local.figure, _local.axes = figure, axes
    return _local.figure, _local.axes


def date_ticks(days: list[dt.date], count: int = DATE_TICKS) -> list[int]:
    """Where the dated ticks go: the first and the last day, and evenly between them."""
    if len(days) <= 1:
        return list(range(len(days)))
    return sorted({round(i * (len(days) - 1) / (count - 1)) for i in range(count)})


def render(days: list[dt.date], online: list[float], offline: list[float]) -> bytes:
    """A 480 x 160 px stacked area chart, oldest day on the left: the score's parts from online and
    from offline on the fixed 0-100 axis (a 9 looks low, a drop from 9.0 to 8.7 looks flat), with
    the dates of a few days below it. The email says the same numbers in words beside it."""
    figure, axes = _figure()
    for collection in list(axes.collections):
        collection.remove()
    low = np.asarray(online, dtype=float)
    high = low + np.asarray(offline, dtype=float)
    if len(low) == 1:  # one day: drawn across the chart, as a level rather than nothing
        low, high = np.repeat(low, 2), np.repeat(high, 2)
    x = np.arange(len(low))
    if len(x) > 1:
        axes.fill_between(x, 0, low, color=ONLINE_COLOUR, linewidth=0)
        axes.fill_between(x, low, high, color=OFFLINE_COLOUR, linewidth=0)
    axes.set_xlim(0, max(len(x) - 1, 1))
    ticks = date_ticks(days)
    axes.set_xticks(ticks)
    axes.set_xticklabels([f"{days[i].day} {days[i]:%b}" for i in ticks])
    # The first and last labels sit inside the chart rather than past its edges.
    labels = axes.get_xticklabels()
    for index, label in enumerate(labels):
        label.set_horizontalalignment("left" if index == 0 else "right" if index == len(labels) - 1 else "center")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_for(
    subject_id: int,
    week_start: dt.date,
    series: Callable[[], tuple[list[dt.date], list[float], list[float]]],
    memo: dict[str, bytes] | None = None,
) -> bytes:
    """The subject's chart for that week: from the memo (this batch), the cache (this week), or
    drawn now from `series` (a callable returning (days, online, offline) lists, read only if needed)."""
    key = cache_key(subject_id, week_start)
    if memo is not None and key in memo:
        return memo[key]
    png = cache.get(key)
    if png is None:
        png = render(*series())
        cache.set(key, png, CACHE_SECONDS)
    if memo is not None:
        memo[key] = png
    return png
