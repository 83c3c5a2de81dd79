"""What the dashboard says about a subject: its score now, recent change, and the breakdown shown.

Every figure shown comes from stored snapshots (the breakdown JSON explains a
day without recomputing it). A list of subjects is searched, filtered, sorted
and paged in the database (`list_subjects`), and only the page shown is
summarised (`page_summaries`): a fixed number of queries whatever the number of
subjects or days of history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Floor, JSONObject

from influence.core.choices import AccountStatus
from influence.core.models import Account, ScoreSnapshot, Subject
from influence.reports.subscores import Headline, headline
from influence.reports.subscores import shown as shown

SPARKLINE_DAYS = 90
SPARKLINE_WIDTH = 120
SPARKLINE_HEIGHT = 32
FLAGGED_STATUSES = (AccountStatus.FAILING, AccountStatus.NEEDS_KEY)
# What a list of subjects sorts by: its key in the query string, and the annotation or field.
SORTS = {"name": "name", "score": "latest_total", "change_7d": "change_7d", "change_30d": "change_30d"}
# The latest snapshot's columns the sub-scores need: name -> column.
LATEST_PARTS = {
    "online_share": "online", "offline_share": "offline", "online_points": "online_points",
    "offline_points": "offline_points",
}
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
    headline: Headline | None = None  # the score with its Online and Offline sub-scores
    flagged: list[Account] = field(default_factory=list)
    stale: list[dict[str, str]] = field(default_factory=list)


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


def change_between(days: int, latest: float | None, before: float | None) -> Change | None:
    """The shown score's change over `days`, from the total then to the latest; None without both."""
    if latest is None or before is None:
        return None
    return Change(days, shown(latest) - shown(before))


class LatestScores(TypedDict):
    """What `with_latest_scores` adds to each subject."""

    latest_day: dt.date | None
    latest_total: float | None
    latest_parts: dict[str, float] | None  # online and offline shares and points (LATEST_PARTS)
    latest_stale: list[dict[str, str]] | None
    total_7d_before: float | None
    change_7d: float | None
    total_30d_before: float | None
    change_30d: float | None


if TYPE_CHECKING:
    # A subject as `with_latest_scores` reads it: a name for type checks only (the stubs are a
    # development requirement).
    from django_stubs_ext import WithAnnotations

    Listed = WithAnnotations[Subject, LatestScores]


def _shown_in_sql(total: Combinable) -> Expression:
    """`shown()` in SQL (floor of total + 0.5), so that an order by change agrees with the cards."""
    return Floor(ExpressionWrapper(total + Value(0.5), output_field=FloatField()))


def _latest(field: str, today: dt.date) -> Subquery:
    """A subject's latest snapshot on or before today: one step down the (subject, day) unique index."""
    latest = ScoreSnapshot.objects.filter(subject_id=OuterRef("pk"), day__lte=today).order_by("-day")
    return Subquery(latest.values(field)[:1])


def _latest_parts(today: dt.date) -> Subquery:
    """The latest snapshot's shares and points in one subquery (one object), for the sub-scores."""
    latest = ScoreSnapshot.objects.filter(subject_id=OuterRef("pk"), day__lte=today).order_by("-day")
    return Subquery(latest.values(parts=JSONObject(**{name: F(column) for name, column in LATEST_PARTS.items()}))[:1])


def _total_before(days: int, today: dt.date) -> Subquery:
    """The total on the last snapshot at least `days` before the latest one, within the sparkline's window
    (an older one says nothing about this week or month)."""
    since = today - dt.timedelta(days=SPARKLINE_DAYS)
    before = ScoreSnapshot.objects.filter(
        subject_id=OuterRef("pk"),
        day__gte=since,
        day__lte=ExpressionWrapper(OuterRef("latest_day") - dt.timedelta(days=days), output_field=DateField()),
    ).order_by("-day")
    return Subquery(before.values("total")[:1])


def with_latest_scores(subjects: QuerySet[Subject], today: dt.date) -> QuerySet[Listed]:
    """Subjects annotated, in the database, with their latest snapshot (day, total, stale inputs) and the
    shown changes over 7 and 30 days (LatestScores): what a list needs to sort, filter and show a page
    of them."""
    latest_shown = _shown_in_sql(F("latest_total"))
    return subjects.annotate(
        latest_day=_latest("day", today),
        latest_total=_latest("total", today),
        latest_parts=_latest_parts(today),
        latest_stale=_latest("breakdown__stale", today),
    ).annotate(
        total_7d_before=_total_before(7, today),
        total_30d_before=_total_before(30, today),
    ).annotate(
        change_7d=latest_shown - _shown_in_sql(F("total_7d_before")),
        change_30d=latest_shown - _shown_in_sql(F("total_30d_before")),
    )


def list_subjects(
    subjects: QuerySet[Subject], today: dt.date, *, search: str = "", sort: str = "name", only: str = ""
) -> QuerySet[Listed]:
    """The subjects whose name contains `search`, narrowed to those with failing accounts or stale inputs
    (`only`), ordered by `sort` (a SORTS key, "-" first for descending): all in the database, so that a
    page of them costs the same whatever the workspace's size. Subjects without the value sorted on
    come last either way; ties go by name."""
    subjects = with_latest_scores(matching(subjects, search), today)
    if only == "failing":
        subjects = subjects.filter(
            Exists(Account.objects.filter(subject_id=OuterRef("pk"), status__in=FLAGGED_STATUSES))
        )
    elif only == "stale":
        # The latest snapshot lists the inputs it scored from old values (SCORING.md): the cards'
        # "Stale" flags come from the same list.
        subjects = subjects.filter(Q(latest_stale__isnull=False) & ~Q(latest_stale=[]))
    descending = sort.startswith("-")
    field = SORTS.get(sort.removeprefix("-"), "name")
    key = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return subjects.order_by(key, "name", "pk")


def matching(subjects: QuerySet[Subject], search: str) -> QuerySet[Subject]:
    """The subjects whose name contains `search`, whatever the case; all of them for an empty search."""
    return subjects.filter(name__icontains=search) if search else subjects


def page_summaries(subjects: Sequence[Listed], today: dt.date, k: float) -> list[SubjectSummary]:
    """Score with its sub-scores, 7- and 30-day changes, sparkline and flagged accounts of subjects
    read through `with_latest_scores` (of one workspace, whose K is `k`), in two more queries
    whatever their number: the last 90 days of scores, and the flagged accounts."""
    ids = [s.pk for s in subjects]
    since = today - dt.timedelta(days=SPARKLINE_DAYS)
    window: dict[int, list[float]] = {}
    for subject_id, total in (
        ScoreSnapshot.objects.filter(subject_id__in=ids, day__gte=since, day__lte=today)
        .order_by("subject_id", "day")
        .values_list("subject_id", "total")
    ):
        window.setdefault(subject_id, []).append(total)
    flagged: dict[int, list[Account]] = {}
    for account in Account.objects.filter(subject_id__in=ids, status__in=FLAGGED_STATUSES):
        flagged.setdefault(account.subject_id, []).append(account)

    summaries = []
    for subject in subjects:
        summary = SubjectSummary(subject, flagged=flagged.get(subject.pk, []))
        latest = subject.latest_total
        if latest is not None:
            summary.score, summary.day = shown(latest), subject.latest_day
            parts = {name: float(value or 0.0) for name, value in (subject.latest_parts or {}).items()}
            summary.headline = headline(
                latest, parts.get("online_share", 0.0), parts.get("offline_share", 0.0),
                parts.get("online_points", 0.0), parts.get("offline_points", 0.0), k,
            )
            summary.stale = list(subject.latest_stale or [])
            befores = {7: subject.total_7d_before, 30: subject.total_30d_before}
            summary.changes = [c for days, b in befores.items() if (c := change_between(days, latest, b))]
            summary.sparkline = sparkline_points(window.get(subject.pk, []))
        summaries.append(summary)
    return summaries
