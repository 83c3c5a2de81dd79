"""Chart data: date ranges, downsampling and the series the dashboard draws.

The pure part (ranges, downsampling, display rounding) needs no
database; the loaders below read only the columns a chart shows, in one query
each, so an endpoint's query count does not grow with the history's length.

Downsampling rule: a range of up to a year is sent day by day; a longer one
keeps the LAST value of each ISO week (dated on the day it was taken). Scores
and counters are levels, not flows, so the week's last value is a value that
really was shown that week, where a mean would invent one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from influence import scoring
from influence.core import dates
from influence.core.choices import ActivityKind, Metric

# The chart CSVs are escaped where they are written (dashboard/views/charts.py); re-exported for callers here.
from influence.core.csvsafe import csv_cell as csv_cell
from influence.core.models import Account, Activity, Observation, ScoreSnapshot
from influence.insights.growth import WINDOWS, Growth
from influence.reports import subscores

DAILY_UP_TO_DAYS = 366
RANGES = {"30d": 30, "90d": 90, "1y": 365}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All", "custom": "Custom"}
DEFAULT_RANGE = "1y"
# What a chart can draw of a subject's days. A side's *score* (sub-score) is its own 0-100 score; a
# side's *share* is its part of the score (the two shares add up to the score); both named apart.
MEASURES = {
    "total": "Score",
    "online_score": "Online (sub-score)",
    "offline_score": "Offline (sub-score)",
    "online_share": "From online (share of the score)",
    "offline_share": "From offline (share of the score)",
}
# The names older addresses used for the same measures.
MEASURE_ALIASES = {"online": "online_share", "offline": "offline_share", "online_only": "online_score"}
MAX_MARKERS = 400
MAX_MARKER_TITLE = 80
MAX_COMPARE = 8
# A query string is echoed in an error message only this far.
MAX_SHOWN_VALUE = 40


class RangeError(ValueError):
    """A range the dashboard cannot draw (unknown name, a bad or reversed date)."""


@dataclass(frozen=True)
class DateRange:
    key: str
    start: dt.date | None  # None: from the first day with data
    end: dt.date

    def weekly(self, first_day: dt.date | None) -> bool:
        start = self.start or first_day
        return start is not None and (self.end - start).days >= DAILY_UP_TO_DAYS

    def as_dict(self, first_day: dt.date | None = None) -> dict[str, Any]:
        start = self.start or first_day
        return {
            "key": self.key,
            "from": start.isoformat() if start else None,
            "to": self.end.isoformat(),
            "step": "week" if self.weekly(first_day) else "day",
        }


def parse_date(value: str, name: str, today: dt.date | None = None) -> dt.date:
    """A date typed in a query string, between 1900-01-01 and a year ahead of `today` (default: UTC today)."""
    today = today or timezone.now().date()
    shown = value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…"
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise RangeError(f"“{shown}” is not a date for {name}; use YYYY-MM-DD.") from exc
    if not dates.within_bounds(day, today):
        raise RangeError(
            f"The “{name}” date {day.isoformat()} is out of range: use a day from {dates.bounds_text(today)}."
        )
    return day


def default_range_key(first_day: dt.date | None, today: dt.date) -> str:
    """The range drawn when none is asked for: a year, or "all" when the history is shorter.

    A subject scored for a few weeks would otherwise be a thin strip at the right
    edge of a year's axis; "all" starts the axis on its first day instead.
    """
    if first_day is not None and (today - first_day).days < RANGES[DEFAULT_RANGE] - 1:
        return "all"
    return DEFAULT_RANGE


def parse_range(
    key: str | None, start: str | None, end: str | None, today: dt.date, first_day: dt.date | None = None
) -> DateRange:
    """A named range ending today, "all", or custom dates (from and to, both optional).

    Without a range or dates, the default one (default_range_key) for a history
    starting on `first_day`.
    """
    key = key or (default_range_key(first_day, today) if not (start or end) else "custom")
    if key in RANGES:
        return DateRange(key, today - dt.timedelta(days=RANGES[key] - 1), today)
    if key == "all":
        return DateRange(key, None, today)
    if key != "custom":
        raise RangeError(f"Unknown range “{key}”; use one of {', '.join(RANGE_LABELS)}.")
    first = parse_date(start, "from", today) if start else None
    last = parse_date(end, "to", today) if end else today
    if first and first > last:
        raise RangeError("The “from” date is after the “to” date.")
    return DateRange(key, first, last)


def downsample(rows: Sequence[tuple], weekly: bool) -> list[tuple]:
    """Rows ordered by day (day first in each row); weekly keeps each ISO week's last row."""
    if not weekly:
        return list(rows)
    kept: list[tuple] = []
    last_week = None
    for row in rows:
        week = row[0].isocalendar()[:2]
        if week == last_week:
            kept[-1] = row
        else:
            kept.append(row)
            last_week = week
    return kept


def downsample_grouped(rows: Iterable[tuple], weekly: bool) -> dict[Any, list[tuple]]:
    """(key, day, value) rows ordered by key then day: per key, (day, value) downsampled."""
    grouped: dict[Any, list[tuple]] = {}
    for key, day, value in rows:
        grouped.setdefault(key, []).append((day, value))
    return {key: downsample(points, weekly) for key, points in grouped.items()}


def round2(value: float) -> float:
    return round(value, 2)


# --- score series -------------------------------------------------------------------


Dated = TypeVar("Dated", ScoreSnapshot, Observation)


def _snapshot_filter(queryset: QuerySet[Dated], rng: DateRange) -> QuerySet[Dated]:
    if rng.start:
        queryset = queryset.filter(day__gte=rng.start)
    return queryset.filter(day__lte=rng.end)


def first_score_day(subject_id: int) -> dt.date | None:
    """The day of the subject's first snapshot (None before any): where its history starts."""
    return (
        ScoreSnapshot.objects.filter(subject_id=subject_id).order_by("day").values_list("day", flat=True).first()
    )


def score_series(subject_id: int, rng: DateRange, params: scoring.Parameters) -> dict[str, Any]:
    """The subject's score, its Online and Offline sub-scores, both sides' shares and weighted points.

    The sub-scores are derived from the stored weighted points with the
    workspace's K (a change of parameters recomputes the history, so every
    stored day was scored with it); the breakdown JSON is not read.
    """
    rows = list(
        _snapshot_filter(ScoreSnapshot.objects.filter(subject_id=subject_id), rng)
        .order_by("day")
        .values_list("day", "total", "online", "offline", "online_points", "offline_points")
    )
    first_day = rows[0][0] if rows else rng.start
    kept = downsample(rows, rng.weekly(first_day))
    scores = [subscores.sub_scores(row[4], row[5], params) for row in kept]
    return {
        "range": rng.as_dict(first_day),
        "days": [row[0].isoformat() for row in kept],
        "total": [round2(row[1]) for row in kept],
        "online_score": [round2(score.online) for score in scores],
        "offline_score": [round2(score.offline) for score in scores],
        "online_share": [round2(row[2]) for row in kept],
        "offline_share": [round2(row[3]) for row in kept],
        "online_points": [round2(row[4]) for row in kept],
        "offline_points": [round2(row[5]) for row in kept],
    }


SERIES_COLUMNS = (
    "day", "total", "online_score", "offline_score", "online_share", "offline_share", "online_points", "offline_points",
)


def series_csv_rows(series: Mapping[str, Any]) -> Iterable[list[Any]]:
    yield list(SERIES_COLUMNS)
    yield from (list(row) for row in zip(*(series[c] for c in ("days", *SERIES_COLUMNS[1:])), strict=True))


def activity_markers(subject_id: int, rng: DateRange, first_day: dt.date | None) -> dict[str, Any]:
    """Offline activities dated within the range, newest first, at most MAX_MARKERS."""
    activities = Activity.objects.filter(subject_id=subject_id, date__lte=rng.end)
    start = rng.start or first_day
    if start:
        activities = activities.filter(date__gte=start)
    rows = list(activities.order_by("-date", "-pk").values_list("pk", "date", "kind", "title")[: MAX_MARKERS + 1])
    kinds = dict(ActivityKind.choices)
    return {
        "markers": [
            {"id": pk, "date": day.isoformat(), "kind": kind, "kind_label": kinds.get(kind, kind),
             "title": title[:MAX_MARKER_TITLE]}
            for pk, day, kind, title in rows[:MAX_MARKERS]
        ],
        "markers_truncated": len(rows) > MAX_MARKERS,
    }


# --- account metrics ----------------------------------------------------------------


def metric_series(subject_id: int, rng: DateRange, metric: str | None = None) -> dict[str, Any]:
    """One chart per metric (or only `metric`); in each, one line per account of the subject."""
    accounts = {account.pk: account.display_name for account in Account.objects.filter(subject_id=subject_id)}
    observations = _snapshot_filter(Observation.objects.filter(account_id__in=list(accounts)), rng)
    if metric:
        observations = observations.filter(metric=metric)
    rows = list(
        observations.order_by("metric", "account_id", "day").values_list("metric", "account_id", "day", "value")
    )
    first_day = min((row[2] for row in rows), default=rng.start)
    grouped = downsample_grouped((((m, account_id), day, value) for m, account_id, day, value in rows),
                                 rng.weekly(first_day))
    labels = dict(Metric.choices)
    charts: dict[str, dict[str, Any]] = {}
    for (name, account_id), points in grouped.items():
        chart = charts.setdefault(name, {"metric": name, "label": labels.get(name, name), "lines": []})
        chart["lines"].append(
            {
                "account": account_id,
                "label": accounts[account_id],
                "days": [day.isoformat() for day, _ in points],
                "values": [value for _, value in points],
            }
        )
    return {"range": rng.as_dict(first_day), "charts": list(charts.values())}


def metric_csv_rows(
    data: Mapping[str, Any], growth: Mapping[tuple[int, str, dt.date], Mapping[int, Growth]] | None = None
) -> Iterable[list[Any]]:
    """One row per value; with `growth` (influence.insights.growth_by_day), the growth windows ending that day."""
    growth_columns = [f"{name}_{w}d" for w in WINDOWS for name in ("change", "percent")] if growth is not None else []
    yield ["day", "metric", "account", "value", *growth_columns]
    for chart in data["charts"]:
        for line in chart["lines"]:
            for day, value in zip(line["days"], line["values"], strict=True):
                row = [day, chart["metric"], line["label"], value]
                if growth is not None:
                    windows = growth.get((line["account"], chart["metric"], dt.date.fromisoformat(day)), {})
                    for w in WINDOWS:
                        g = windows.get(w)
                        row += [g.change, g.percent] if g is not None else [None, None]
                yield row


# --- comparing subjects -------------------------------------------------------------


def measure_key(measure: str | None) -> str:
    """The measure asked for, by its name or an older alias; RangeError for any other."""
    measure = MEASURE_ALIASES.get(measure or "total", measure or "total")
    if measure not in MEASURES:
        shown = measure if len(measure) <= MAX_SHOWN_VALUE else measure[:MAX_SHOWN_VALUE] + "…"
        raise RangeError(f"Unknown measure “{shown}”; use one of {', '.join(MEASURES)}.")
    return measure


def _measured(measure: str, row: tuple, k: float) -> float:
    """One measure of a snapshot row (day, total, online, offline, online_points, offline_points)."""
    _, total, online_share, offline_share, online_points, offline_points = row
    if measure == "online_score":
        return scoring.online_only_score(online_points, k)
    if measure == "offline_score":
        return scoring.online_only_score(offline_points, k)
    return {"total": total, "online_share": online_share, "offline_share": offline_share}[measure]


def shares_of_voice(totals: Mapping[int, float]) -> dict[int, float] | None:
    """Each subject's share of the group's combined score on one day, in percent with two decimals,
    adding up to 100 exactly (largest remainder in hundredths); None when the combined score is 0."""
    combined = math.fsum(max(total, 0.0) for total in totals.values())
    if combined <= 0:
        return None
    exact = {pk: 10_000 * max(total, 0.0) / combined for pk, total in totals.items()}
    floors = {pk: math.floor(value) for pk, value in exact.items()}
    leftover = 10_000 - sum(floors.values())
    for pk in sorted(exact, key=lambda pk: (exact[pk] - floors[pk], exact[pk], -pk), reverse=True)[:leftover]:
        floors[pk] += 1
    return {pk: hundredths / 100 for pk, hundredths in floors.items()}


def compare_series(
    subjects: Sequence[tuple[int, str]], measure: str, rng: DateRange, k_by_subject: Mapping[int, float]
) -> dict[str, Any]:
    """One line per subject for one measure (MEASURES), each with its share of voice: its share of
    the chosen subjects' combined score on each of its days (shares_of_voice)."""
    measure = measure_key(measure)
    ids = [pk for pk, _ in subjects]
    rows = list(
        _snapshot_filter(ScoreSnapshot.objects.filter(subject_id__in=ids), rng)
        .order_by("subject_id", "day")
        .values_list("subject_id", "day", "total", "online", "offline", "online_points", "offline_points")
    )
    totals_by_day: dict[dt.date, dict[int, float]] = {}
    for row in rows:
        totals_by_day.setdefault(row[1], {})[row[0]] = row[2]
    voice = {day: shares_of_voice(totals) for day, totals in totals_by_day.items()}
    first_day = min((row[1] for row in rows), default=rng.start)
    grouped = downsample_grouped(
        ((row[0], row[1], (_measured(measure, row[1:], k_by_subject[row[0]]), (voice[row[1]] or {}).get(row[0])))
         for row in rows),
        rng.weekly(first_day),
    )
    lines = []
    for pk, name in subjects:
        points = grouped.get(pk, [])
        lines.append({
            "subject": pk,
            "label": name,
            "days": [d.isoformat() for d, _ in points],
            "values": [round2(value) for _, (value, _) in points],
            "share_of_voice": [share for _, (_, share) in points],
        })
    return {"range": rng.as_dict(first_day), "measure": measure, "measure_label": MEASURES[measure], "lines": lines}


def compare_csv_rows(data: Mapping[str, Any]) -> Iterable[list[Any]]:
    yield ["day", "subject", data["measure"], "share_of_voice"]
    for line in data["lines"]:
        for day, value, share in zip(line["days"], line["values"], line["share_of_voice"], strict=True):
            yield [day, line["label"], value, share]
