"""What the dashboard says about a subject: its score now, recent change, and the breakdown shown.

Every figure shown comes from stored snapshots (the breakdown JSON explains a
day without recomputing it), read in a fixed number of queries for any number
of days of history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from influence import scoring
from influence.core.choices import AccountStatus
from influence.core.models import Account, ScoreSnapshot, Subject

SPARKLINE_DAYS = 90
SPARKLINE_WIDTH = 120
SPARKLINE_HEIGHT = 32
FLAGGED_STATUSES = (AccountStatus.FAILING, AccountStatus.NEEDS_KEY)


@dataclass
class Change:
    """A change of the shown (whole-number) score over some days."""

    days: int
    value: int

    @property
    def direction(self) -> str:
        return "up" if self.value > 0 else "down" if self.value < 0 else "flat"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "flat": "▬"}[self.direction]

    @property
    def spoken(self) -> str:
        if self.value == 0:
            return f"unchanged over {self.days} days"
        verb = "up" if self.value > 0 else "down"
        points = "point" if abs(self.value) == 1 else "points"
        return f"{verb} {abs(self.value)} {points} over {self.days} days"


@dataclass
class SubjectSummary:
    subject: Subject
    score: int | None = None
    day: dt.date | None = None
    changes: list[Change] = field(default_factory=list)
    sparkline: str = ""  # SVG polyline points
    flagged: list[Account] = field(default_factory=list)
    stale: list[dict[str, str]] = field(default_factory=list)


def shown(value: float) -> int:
    """The whole number a score is shown as (display_parts' rounding of a total)."""
    return scoring.display_parts(value, {})[0]


def sparkline_points(values: Sequence[float], width: int = SPARKLINE_WIDTH, height: int = SPARKLINE_HEIGHT) -> str:
    """An SVG polyline's points for values on a 0..100 scale (scores), left to right."""
    if not values:
        return ""
    if len(values) == 1:
        values = [values[0], values[0]]
    low, high = min(values), max(values)
    spread = (high - low) or 1.0
    step = width / (len(values) - 1)
    pad = 2
    return " ".join(
        f"{i * step:.1f},{pad + (height - 2 * pad) * (1 - (v - low) / spread):.1f}" for i, v in enumerate(values)
    )


def change_since(series: Sequence[tuple[dt.date, float]], latest_day: dt.date, days: int) -> Change | None:
    """The shown score's change since `days` before the latest day (the last value on or before it)."""
    target = latest_day - dt.timedelta(days=days)
    before = [total for day, total in series if day <= target]
    if not before:
        return None
    latest = next(total for day, total in reversed(series) if day == latest_day)
    return Change(days, shown(latest) - shown(before[-1]))


def subject_summaries(subjects: Sequence[Subject], today: dt.date) -> list[SubjectSummary]:
    """Score, 7- and 30-day changes, sparkline and flagged accounts of each subject, in three queries."""
    ids = [s.pk for s in subjects]
    latest_ids = Subquery(
        ScoreSnapshot.objects.filter(subject_id=OuterRef("pk"), day__lte=today).order_by("-day").values("pk")[:1]
    )
    latest = {
        snap.subject_id: snap
        for snap in ScoreSnapshot.objects.filter(
            pk__in=Subject.objects.filter(pk__in=ids).annotate(latest=latest_ids).values("latest")
        ).only("subject_id", "day", "total", "breakdown")
    }
    since = today - dt.timedelta(days=SPARKLINE_DAYS)
    window: dict[int, list[tuple[dt.date, float]]] = {}
    for subject_id, day, total in (
        ScoreSnapshot.objects.filter(subject_id__in=ids, day__gte=since, day__lte=today)
        .order_by("subject_id", "day")
        .values_list("subject_id", "day", "total")
    ):
        window.setdefault(subject_id, []).append((day, total))
    flagged: dict[int, list[Account]] = {}
    for account in Account.objects.filter(subject_id__in=ids, status__in=FLAGGED_STATUSES):
        flagged.setdefault(account.subject_id, []).append(account)

    summaries = []
    for subject in subjects:
        summary = SubjectSummary(subject, flagged=flagged.get(subject.pk, []))
        snap = latest.get(subject.pk)
        if snap:
            summary.score, summary.day = shown(snap.total), snap.day
            summary.stale = list(snap.breakdown.get("stale", []))
            series = window.get(subject.pk, [])
            if series:
                summary.changes = [c for c in (change_since(series, snap.day, d) for d in (7, 30)) if c]
                summary.sparkline = sparkline_points([total for _, total in series])
        summaries.append(summary)
    return summaries


