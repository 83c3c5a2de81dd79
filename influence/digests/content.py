"""What the weekly email says about each subject, loaded set-wise for a batch of users.

Every number is formatted here, once, and both the text and the HTML parts print
the same strings: the two parts cannot disagree. Days are UTC, like snapshots.

The email is bounded whatever the workspace: of each user's covered subjects (their
picks, or all they can see), at most MAX_SECTIONS get a full section with its
chart, the ones whose shown score moved most over the week, read through the
7-day change kept on each subject (influence.scoring.latest); the rest is one line
of counts, one aggregate. The full sections alone load their history, activities
and accounts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Abs, Coalesce, Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from influence import insights, scoring
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Activity, Membership, ScoreSnapshot, Subject, User
from influence.core.twofactor import open_memberships
from influence.digests import chart
from influence.insights.display import anomaly_text, short_day
from influence.reports.explanation import group_label
from influence.reports.subscores import headline
from influence.reports.summaries import shown as shown_score

log = logging.getLogger(__name__)

CHART_DAYS = 84  # twelve weeks
TREND_WEEKS = 12
MOVERS = 3
# A mover whose share of the score moved less than this (in points, either way) is not news.
MOVER_THRESHOLD = 0.5
MANUAL_REMINDER_DAYS = 30
# Full sections per email: past ten, readers skim; the rest is summed up in one line.
MAX_SECTIONS = 10
# Lines per list of a section (activities, failing accounts, manual accounts); the rest counted.
LIST_LIMIT = 10
FAILING_STATES = (AccountStatus.FAILING, AccountStatus.NEEDS_KEY)


@dataclass(frozen=True)
class Mover:
    label: str
    side: str
    change: str  # share points, signed: "+2.4"


@dataclass(frozen=True)
class ActivityLine:
    kind: str
    title: str
    date: dt.date
    venue: str


@dataclass(frozen=True)
class AccountLine:
    name: str
    detail: str


@dataclass(frozen=True)
class Covered:
    """A subject the user's email covers, read lightly: enough to rank it and to count it."""

    pk: int
    name: str
    workspace: str
    change: int | None  # 7-day change of the shown score; None without both scores
    failing: bool  # has an account failing or needing a key
    k: float  # the K in force in its workspace (for the sub-scores)


@dataclass(frozen=True)
class Rest:
    """The covered subjects without a full section, summed up in one line."""

    count: int
    up: int
    down: int
    failing: int
    url: str

    @property
    def line(self) -> str:
        return f"and {self.count:,} more: {self.up:,} up, {self.down:,} down, {self.failing:,} with failing accounts"


@dataclass(frozen=True)
class RenderedSection:
    text: str
    html: str
    image: tuple[str, bytes] | None  # (content id, PNG) when the section shows its chart


@dataclass
class SubjectSection:
    """One subject's part of a weekly email, every figure already formatted."""

    pk: int
    name: str
    workspace: str
    url: str
    score: str | None = None  # "57", or None before the first snapshot
    online_score: str = ""  # the Online sub-score, "42"
    offline_score: str = ""  # the Offline sub-score
    online_share: str = ""  # the part of the score from online; the two shares add up to the score
    offline_share: str = ""
    k: float = 60.0
    week_ago: str | None = None
    change: str | None = None  # "+3", "-2", "0"; None without a score a week ago
    movers: list[Mover] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    failing: list[AccountLine] = field(default_factory=list)
    manual_stale: list[AccountLine] = field(default_factory=list)
    # Lines past LIST_LIMIT, counted rather than listed.
    more_activities: int = 0
    more_failing: int = 0
    more_manual_stale: int = 0
    # "GitHub followers +5,000 on 12 Oct: unusual", the past 7 days' unusual audience days.
    unusual: list[str] = field(default_factory=list)
    more_unusual: int = 0
    trend: list[tuple[str, str]] = field(default_factory=list)  # (week ending "23 Nov", score)
    # What the chart spans ("Last 12 weeks", "Since 21 Oct") and its numbers in words (its alt text).
    chart_period: str = ""
    chart_words: str = ""


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _listed(lines: list, count: int, line: object) -> int:
    """Append the line while the list is short; return the new count of lines left out."""
    if len(lines) < LIST_LIMIT:
        lines.append(line)
        return count
    return count + 1


def chart_cid(subject_id: int, week_start: dt.date) -> str:
    return f"chart-{subject_id}-{week_start:%Y%m%d}@influence"


# A day of a subject's series: day, total, online share, offline share, online points, offline points.
Row = tuple[dt.date, float, float, float, float, float]


def _latest_on_or_before(series: list[Row], day: dt.date) -> Row | None:
    found = None
    for row in series:  # ordered by day
        if row[0] > day:
            break
        found = row
    return found


def chart_days(series: list[Row], today: dt.date) -> tuple[list[dt.date], list[float], list[float]]:
    """The chart's days, from the first snapshot of the last CHART_DAYS to today, with each day's
    online and offline shares (a missing day repeats the one before)."""
    by_day = {row[0]: row for row in series}
    start = max(series[0][0], today - dt.timedelta(days=CHART_DAYS - 1))
    days: list[dt.date] = []
    online: list[float] = []
    offline: list[float] = []
    last = (0.0, 0.0)
    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        row = by_day.get(day)
        last = (row[2], row[3]) if row else last
        days.append(day)
        online.append(last[0])
        offline.append(last[1])
    return days, online, offline


def chart_period(first_day: dt.date, today: dt.date) -> str:
    """What the chart spans, said above it: its twelve weeks, or since the subject's first score."""
    if first_day <= today - dt.timedelta(days=CHART_DAYS - 1):
        return f"Last {CHART_DAYS // 7} weeks"
    return f"Since {short_day(first_day)}"


def chart_words(summary: SubjectSection, first: Row, last: Row) -> str:
    """The chart's numbers in a sentence (its alt text, and the text part's stand-in for it)."""
    parts = f"online part {summary.online_share}, offline part {summary.offline_share}"
    if first[0] == last[0]:
        return f"Score {summary.score} on {short_day(last[0])}; {parts}"
    return (f"Score from {shown_score(first[1])} on {short_day(first[0])} to {summary.score} on "
            f"{short_day(last[0])}; {parts}")


def failing_detail(status: str, error: str, names: tuple[str, ...]) -> str:
    """A failing account's status and error, without the account's own name again: an error
    often starts with the network's name ("Hacker News answered HTTP 503"), already said before it."""
    error = " ".join(error.split())[:200]
    for name in names:
        if name and error.lower().startswith(name.lower()):
            error = error[len(name):].lstrip(" :-–—")
            break
    return f"{status}: {error}" if error else status


@dataclass(frozen=True)
class Coverage:
    """What a user's email covers: how many subjects, how many of them went up, down or have a
    failing account, and the ones given a full section (at most MAX_SECTIONS), in the covered
    list's order."""

    count: int = 0
    up: int = 0
    down: int = 0
    failing: int = 0
    full: tuple[Covered, ...] = ()


class DigestData:
    """The subjects of a batch's users and everything their emails show, in a fixed number of
    queries whatever the number of subjects: a few for the batch, two for each different set of
    covered subjects (users of the same workspaces without picks share one), and the full
    sections' contents."""

    def __init__(self, users: Iterable[User], now: dt.datetime):
        self.today = now.astimezone(dt.UTC).date()
        self.users = {user.pk: user for user in users}
        self._charts: dict[str, bytes] = {}
        self._sections: dict[tuple[int, dt.date, bool], RenderedSection] = {}
        self._series: dict[int, list[Row]] = defaultdict(list)
        self._coverage: dict[int, Coverage] = {}
        self.summaries: dict[int, SubjectSection] = {}
        workspaces: dict[int, set[int]] = defaultdict(set)
        # A workspace requiring two factors says nothing of itself to a member without them.
        memberships = open_memberships(Membership.objects.filter(user_id__in=list(self.users))).values_list(
            "user_id", "workspace_id"
        )
        for user_id, workspace_id in memberships:
            workspaces[user_id].add(workspace_id)
        picks = User.digest_subjects.through.objects
        pickers = set(picks.filter(user_id__in=list(self.users)).values_list("user_id", flat=True).distinct())
        by_workspaces: dict[tuple[int, ...], Coverage] = {}
        for user_id, ids in workspaces.items():
            key = tuple(sorted(ids))
            # The sample story is a thing to look at on the site, not news of the week.
            visible = Subject.objects.filter(workspace_id__in=key, is_sample=False)
            coverage = (
                _cover(visible.filter(pk__in=picks.filter(user_id=user_id).values("subject_id")))
                if user_id in pickers else Coverage()
            )
            if not coverage.count:
                # No pick they can still see (or none made): all they can see.
                if key not in by_workspaces:
                    by_workspaces[key] = _cover(visible)
                coverage = by_workspaces[key]
            self._coverage[user_id] = coverage
            for subject in coverage.full:
                if subject.pk not in self.summaries:
                    url = absolute(reverse("subject_detail", args=[subject.pk]))
                    self.summaries[subject.pk] = SubjectSection(
                        subject.pk, subject.name, subject.workspace, url, k=subject.k
                    )
        if self.summaries:
            self._load()

    def covered_count(self, user_id: int) -> int:
        """How many subjects the user's email covers: their picks they can still see, else all they see."""
        return self._coverage.get(user_id, Coverage()).count

    def full_subjects_of(self, user_id: int) -> list[Covered]:
        """The covered subjects given a full section: all of them up to MAX_SECTIONS, else those
        whose shown score moved most over the week."""
        return list(self._coverage.get(user_id, Coverage()).full)

    def full_sections_of(self, user_id: int) -> list[SubjectSection]:
        """The subjects given a full section, in the order of the covered list."""
        return [self.summaries[subject.pk] for subject in self.full_subjects_of(user_id)]

    def rest_of(self, user_id: int, shown: set[int]) -> Rest | None:
        """The covered subjects not in `shown` (some of the full sections), counted; None when
        there are none."""
        coverage = self._coverage.get(user_id, Coverage())
        sectioned = [s for s in coverage.full if s.pk in shown]
        count = coverage.count - len(sectioned)
        if count <= 0:
            return None
        return Rest(
            count=count,
            up=coverage.up - sum(1 for s in sectioned if s.change is not None and s.change > 0),
            down=coverage.down - sum(1 for s in sectioned if s.change is not None and s.change < 0),
            failing=coverage.failing - sum(1 for s in sectioned if s.failing),
            url=absolute(reverse("home")),
        )

    # -- loading --

    def _load(self) -> None:
        ids = list(self.summaries)
        since = self.today - dt.timedelta(days=CHART_DAYS - 1)
        rows = (
            ScoreSnapshot.objects.filter(subject_id__in=ids, day__gte=since, day__lte=self.today)
            .order_by("subject_id", "day")
            .values_list("subject_id", "day", "total", "online", "offline", "online_points", "offline_points")
        )
        for subject_id, day, total, online, offline, online_points, offline_points in rows:
            self._series[subject_id].append((day, total, online, offline, online_points, offline_points))
        self._load_scores(ids)
        self._load_activities(ids)
        self._load_accounts(ids)
        for subject_id, days in insights.unusual_days(ids, self.today - dt.timedelta(days=6), self.today).items():
            summary = self.summaries[subject_id]
            for u in days:
                line = anomaly_text(u.network, u.metric, u.change, short_day(u.day))
                summary.more_unusual = _listed(summary.unusual, summary.more_unusual, line)

    def _load_scores(self, ids: list[int]) -> None:
        wanted: dict[int, tuple[dt.date | None, dt.date | None]] = {}
        for pk in ids:
            series = self._series.get(pk, [])
            now_row = _latest_on_or_before(series, self.today)
            # A week before the latest snapshot, as the home page's 7-day change (and the ranking of
            # the full sections) counts it: the same change whichever day the snapshot ran last.
            ago_row = _latest_on_or_before(series, now_row[0] - dt.timedelta(days=7)) if now_row else None
            wanted[pk] = (now_row[0] if now_row else None, ago_row[0] if ago_row else None)
            summary = self.summaries[pk]
            if now_row:
                shown = headline(*now_row[1:], summary.k)
                total = shown.total
                summary.score = str(total)
                summary.online_score, summary.offline_score = str(shown.online_score), str(shown.offline_score)
                summary.online_share, summary.offline_share = str(shown.online_share), str(shown.offline_share)
                if ago_row:
                    shown_ago = shown_score(ago_row[1])
                    summary.week_ago = str(shown_ago)
                    summary.change = signed(total - shown_ago)
                summary.chart_period = chart_period(series[0][0], self.today)
                summary.chart_words = chart_words(summary, series[0], now_row)
            for weeks_back in range(TREND_WEEKS - 1, -1, -1):
                day = self.today - dt.timedelta(days=7 * weeks_back)
                row = _latest_on_or_before(series, day)
                if row:
                    summary.trend.append((day.strftime("%d %b"), str(shown_score(row[1]))))
        days = {day for pair in wanted.values() for day in pair if day}
        # Only the breakdowns of the two days compared: the JSON is the bulk of a snapshot row.
        pairs = ScoreSnapshot.objects.filter(subject_id__in=ids, day__in=days).values_list(
            "subject_id", "day", "breakdown"
        )
        breakdowns = {(subject_id, day): breakdown for subject_id, day, breakdown in pairs}
        for pk, (now_day, ago_day) in wanted.items():
            if not now_day:
                continue
            before = breakdowns.get((pk, ago_day)) if ago_day else None
            movements = scoring.what_changed(before, breakdowns.get((pk, now_day)), limit=MOVERS)
            self.summaries[pk].movers = [
                Mover(group_label(m.side, m.group), m.side, f"{m.change:+.1f}")
                for m in movements
                if abs(m.change) >= MOVER_THRESHOLD
            ]

    def _load_activities(self, ids: list[int]) -> None:
        recent = Activity.objects.filter(
            subject_id__in=ids, date__gt=self.today - dt.timedelta(days=7), date__lte=self.today
        ).order_by("-date", "-pk")
        for activity in recent:
            summary = self.summaries[activity.subject_id]
            line = ActivityLine(activity.get_kind_display(), activity.title, activity.date, activity.venue)
            summary.more_activities = _listed(summary.activities, summary.more_activities, line)

    def _load_accounts(self, ids: list[int]) -> None:
        accounts = (
            Account.objects.filter(subject_id__in=ids)
            .filter(Q(status__in=FAILING_STATES) | Q(network=Network.MANUAL))
            .exclude(status=AccountStatus.PAUSED)
            .annotate(latest_day=Max("observations__day"))
            .order_by("network", "handle")
        )
        for account in accounts:
            summary = self.summaries[account.subject_id]
            if account.status in FAILING_STATES:
                names = (account.display_name, account.get_network_display(), account.label)
                detail = failing_detail(account.get_status_display(), account.last_error, names)
                line = AccountLine(account.display_name, detail)
                summary.more_failing = _listed(summary.failing, summary.more_failing, line)
            if account.network == Network.MANUAL:
                collected = account.last_collected_at.date() if account.last_collected_at else None
                updated = [d for d in (account.latest_day, collected) if d]
                last = max(updated) if updated else None
                if (self.today - (last or account.created_at.date())).days > MANUAL_REMINDER_DAYS:
                    when = f"last updated {last:%d %b %Y}" if last else "never updated"
                    line = AccountLine(account.display_name, when)
                    summary.more_manual_stale = _listed(summary.manual_stale, summary.more_manual_stale, line)

    # -- charts --

    def chart(self, subject_id: int, week_start: dt.date) -> bytes | None:
        series = self._series.get(subject_id)
        if not series:
            return None
        return chart.chart_for(subject_id, week_start, lambda: chart_days(series, self.today), memo=self._charts)


    def section(self, summary: SubjectSection, week_start: dt.date, with_chart: bool = True) -> RenderedSection:
        """A subject's part of the email, the same for every recipient of that week: rendered
        once per batch (with or without its chart), as the chart is."""
        key = (summary.pk, week_start, with_chart)
        if key not in self._sections:
            png = self.chart(summary.pk, week_start) if with_chart else None
            image = (chart_cid(summary.pk, week_start), png) if png else None
            context = {"s": summary, "chart_cid": image[0] if image else None}
            self._sections[key] = RenderedSection(
                render_to_string("emails/digest-section.txt", context),
                # Rendered with autoescaping on: user text in it is already escaped.
                mark_safe(render_to_string("emails/digest-section.html", context)),  # noqa: S308
                image,
            )
        return self._sections[key]


def _failing() -> Exists:
    """Whether the query's subject has an account failing or needing a key."""
    return Exists(Account.objects.filter(subject=OuterRef("pk"), status__in=FAILING_STATES))


def _cover(subjects: QuerySet[Subject], limit: int = MAX_SECTIONS) -> Coverage:
    """The email's view of these subjects, in two queries whatever their number: one aggregate
    counts them (up, down, failing, on the 7-day change kept on each subject), one reads those
    given a full section.

    Those are all of them when there are `limit` or fewer, else the `limit` whose shown score
    moved most over the week (largest absolute 7-day change, none counting as 0; ties by name):
    within one workspace an index on that order reads them first. They come in the covered
    list's order (workspace, then name).
    """
    counts = subjects.aggregate(
        count=Count("pk"),
        up=Count("pk", filter=Q(score_change_7d__gt=0)),
        down=Count("pk", filter=Q(score_change_7d__lt=0)),
        # The failing accounts read once through their status index, rather than one look per subject.
        failing=Count("pk", filter=Q(pk__in=Account.objects.filter(status__in=FAILING_STATES).values("subject_id"))),
    )
    if not counts["count"]:
        return Coverage()
    moved = subjects.order_by(Abs(Coalesce("score_change_7d", 0)).desc(), Lower("name"), "name", "pk")
    rows = (
        Subject.objects.filter(pk__in=moved.values("pk")[:limit])
        .annotate(failing=_failing())
        .order_by("workspace__name", "workspace_id", "name", "pk")
        .values_list("pk", "name", "workspace__name", "score_change_7d", "failing", "workspace__score_parameters")
    )
    return Coverage(
        count=counts["count"], up=counts["up"], down=counts["down"], failing=counts["failing"],
        full=tuple(
            Covered(pk, name, workspace, change, failing, scoring.Parameters.from_overrides(overrides).k)
            for pk, name, workspace, change, failing, overrides in rows
        ),
    )
