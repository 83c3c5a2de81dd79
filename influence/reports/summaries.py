"""What the dashboard says about a subject: its score now, recent change, and the breakdown shown.

Every figure shown comes from stored snapshots (the breakdown JSON explains a
day without recomputing it). A list of subjects is searched, filtered, sorted
and paged in the database (`list_subjects`) on the latest score and changes kept
on each subject (influence.scoring.latest), and only the page shown is
summarised (`page_summaries`): a fixed number of queries whatever the number of
subjects or days of history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from influence.core.choices import AccountStatus
from influence.core.models import Account, ScoreSnapshot, Subject
from influence.reports.subscores import Headline, headline
from influence.reports.subscores import shown as shown

SPARKLINE_DAYS = 90
SPARKLINE_WIDTH = 120
SPARKLINE_HEIGHT = 32
FLAGGED_STATUSES = (AccountStatus.FAILING, AccountStatus.NEEDS_KEY)
# What a list of subjects sorts by: its key in the query string, and the annotation or field.
SORTS = {"name": "name", "score": "score_total", "change_7d": "score_change_7d", "change_30d": "score_change_30d"}
# The snapshot's columns the sub-scores need, in the order `headline` takes them: shares, then points.
PARTS = ("online", "offline", "online_points", "offline_points")
# What a list of subjects can be narrowed to.
FILTERS = ("failing", "stale")


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
    sparkline_period: str = ""  # the days it spans, said beside it: "last 90 days", "since 3 Nov"
    headline: Headline | None = None  # the score with its Online and Offline sub-scores
    flagged: list[Account] = field(default_factory=list)
    stale: list[dict[str, str]] = field(default_factory=list)


def sparkline_points(values: Sequence[float], width: int = SPARKLINE_WIDTH, height: int = SPARKLINE_HEIGHT) -> str:
    """An SVG polyline's points for scores, left to right, on the fixed 0..100 scale: the bottom of
    the box is 0 and its top 100, so a 9 is drawn low and a drop from 9.0 to 8.7 nearly flat (a
    scale fitted to the values would draw a 9 as high as a 93, and that drop as a crash)."""
    if not values:
        return ""
    if len(values) == 1:
        values = [values[0], values[0]]
    step = width / (len(values) - 1)
    pad = 2
    return " ".join(
        f"{i * step:.1f},{pad + (height - 2 * pad) * (1 - min(max(v, 0.0), 100.0) / 100):.1f}"
        for i, v in enumerate(values)
    )


def sparkline_period(first_day: dt.date, today: dt.date, days: int = SPARKLINE_DAYS) -> str:
    """The days a sparkline spans, in words: its whole window, or since its first day when the
    history is shorter (the line is drawn across the box either way)."""
    if first_day <= today - dt.timedelta(days=days):
        return f"last {days} days"
    return f"since {first_day.day} {first_day:%b %Y}" if first_day.year != today.year else (
        f"since {first_day.day} {first_day:%b}"
    )


def change_between(days: int, latest: float | None, before: float | None) -> Change | None:
    """The shown score's change over `days`, from the total then to the latest; None without both."""
    if latest is None or before is None:
        return None
    return Change(days, shown(latest) - shown(before))


class LatestScores(TypedDict):
    """What `with_latest_scores` adds to each subject."""

    latest_day: dt.date | None
    latest_total: float | None
    latest_stale: list[dict[str, str]] | None
    change_7d: int | None
    change_30d: int | None


if TYPE_CHECKING:
    # A subject as `with_latest_scores` reads it: a name for type checks only (the stubs are a
    # development requirement).
    from django_stubs_ext import WithAnnotations

    Listed = WithAnnotations[Subject, LatestScores]


def with_latest_scores(subjects: QuerySet[Subject]) -> QuerySet[Listed]:
    """Subjects with their latest snapshot's day, total and stale inputs, and the shown score's
    changes over 7 and 30 days (LatestScores), under the names the lists and the API give them:
    the copies kept on each subject by influence.scoring.latest, so that a list sorts and filters
    on them without reading any snapshot."""
    return subjects.annotate(
        latest_day=F("score_day"),
        latest_total=F("score_total"),
        latest_stale=F("score_stale"),
        change_7d=F("score_change_7d"),
        change_30d=F("score_change_30d"),
    )


def list_subjects(
    subjects: QuerySet[Subject], *, search: str = "", sort: str = "name", only: str = ""
) -> QuerySet[Listed]:
    """The subjects whose name contains `search`, narrowed to those with failing accounts or stale inputs
    (`only`), ordered by `sort` (a SORTS key, "-" first for descending): all in the database, so that a
    page of them costs the same whatever the workspace's size. Subjects without the value sorted on
    come last either way; ties go by name. Sorted by 7-day change within one workspace, a page is
    read through an index of Subject (its first rows only)."""
    subjects = with_latest_scores(matching(subjects, search))
    if only == "failing":
        subjects = subjects.filter(
            Exists(Account.objects.filter(subject_id=OuterRef("pk"), status__in=FLAGGED_STATUSES))
        )
    elif only == "stale":
        # The latest snapshot lists the inputs it scored from old values (SCORING.md): the cards'
        # "Stale" flags come from the same list.
        subjects = subjects.filter(Q(score_stale__isnull=False) & ~Q(score_stale=[]))
    descending = sort.startswith("-")
    field = SORTS.get(sort.removeprefix("-"), "name")
    key = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return subjects.order_by(key, "name", "pk")


def matching(subjects: QuerySet[Subject], search: str) -> QuerySet[Subject]:
    """The subjects whose name contains `search`, whatever the case; all of them for an empty search."""
    return subjects.filter(name__icontains=search) if search else subjects


def page_summaries(subjects: Sequence[Listed], today: dt.date, k: float) -> list[SubjectSummary]:
    """Score with its sub-scores, 7- and 30-day changes, sparkline and flagged accounts of subjects
    read through `with_latest_scores` or `list_subjects` (of one workspace, whose K is `k`), in two
    more queries whatever their number: the last 90 days of scores (with the latest day's shares
    and points, for the sub-scores), and the flagged accounts. A latest snapshot outside those
    90 days costs one more query, for all such subjects of the page."""
    ids = [s.pk for s in subjects]
    since = today - dt.timedelta(days=SPARKLINE_DAYS)
    latest_day = {s.pk: s.latest_day for s in subjects if s.latest_day is not None}
    window: dict[int, list[float]] = {}
    window_start: dict[int, dt.date] = {}
    parts: dict[int, tuple[float, ...]] = {}
    for subject_id, day, total, *row in (
        ScoreSnapshot.objects.filter(subject_id__in=ids, day__gte=since, day__lte=today)
        .order_by("subject_id", "day")
        .values_list("subject_id", "day", "total", *PARTS)
    ):
        window.setdefault(subject_id, []).append(total)
        window_start.setdefault(subject_id, day)
        if day == latest_day.get(subject_id):
            parts[subject_id] = tuple(row)
    outside = Q()
    for subject_id, day in latest_day.items():
        if subject_id not in parts:
            outside |= Q(subject_id=subject_id, day=day)
    if outside:
        for subject_id, *row in ScoreSnapshot.objects.filter(outside).values_list("subject_id", *PARTS):
            parts[subject_id] = tuple(row)
    flagged: dict[int, list[Account]] = {}
    for account in Account.objects.filter(subject_id__in=ids, status__in=FLAGGED_STATUSES):
        flagged.setdefault(account.subject_id, []).append(account)

    summaries = []
    for subject in subjects:
        summary = SubjectSummary(subject, flagged=flagged.get(subject.pk, []))
        latest = subject.latest_total
        if latest is not None:
            summary.score, summary.day = shown(latest), subject.latest_day
            if subject.pk in parts:  # (a day deleted since the copy was kept: no sub-scores rather than zeros)
                online, offline, online_points, offline_points = parts[subject.pk]
                summary.headline = headline(latest, online, offline, online_points, offline_points, k)
            summary.stale = list(subject.latest_stale or [])
            changes = {7: subject.change_7d, 30: subject.change_30d}
            summary.changes = [Change(days, value) for days, value in changes.items() if value is not None]
            summary.sparkline = sparkline_points(window.get(subject.pk, []))
            if subject.pk in window_start:
                summary.sparkline_period = sparkline_period(window_start[subject.pk], today)
        summaries.append(summary)
    return summaries
