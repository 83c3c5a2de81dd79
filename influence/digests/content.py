"""What the weekly email says about each subject, loaded set-wise for a batch of users.

Every number is formatted here, once, and both the text and the HTML parts print
the same strings: the two parts cannot disagree. Days are UTC, like snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from influence import scoring
from influence.core.choices import AccountStatus, Network
from influence.core.emails import render_email
from influence.core.models import Account, Activity, Membership, ScoreSnapshot, Subject, User
from influence.digests import chart
from influence.digests.tokens import unsubscribe_token
from influence.reports.explanation import group_label
from influence.reports.summaries import shown as shown_score

CHART_DAYS = 84  # twelve weeks
TREND_WEEKS = 12
MOVERS = 3
MANUAL_REMINDER_DAYS = 30


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


@dataclass
class SubjectSection:
    """One subject's part of a weekly email, every figure already formatted."""

    pk: int
    name: str
    workspace: str
    url: str
    score: str | None = None  # "57", or None before the first snapshot
    online: str = ""
    offline: str = ""
    week_ago: str | None = None
    change: str | None = None  # "+3", "-2", "0"; None without a score a week ago
    movers: list[Mover] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    failing: list[AccountLine] = field(default_factory=list)
    manual_stale: list[AccountLine] = field(default_factory=list)
    trend: list[tuple[str, str]] = field(default_factory=list)  # (week ending "23 Nov", score)
    chart_cid: str | None = None


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def chart_cid(subject_id: int, week_start: dt.date) -> str:
    return f"chart-{subject_id}-{week_start:%Y%m%d}@influence"


def _latest_on_or_before(
    series: list[tuple[dt.date, float, float, float]], day: dt.date
) -> tuple[dt.date, float, float, float] | None:
    found = None
    for row in series:  # ordered by day
        if row[0] > day:
            break
        found = row
    return found


class DigestData:
    """The subjects of a batch's users and everything their emails show, in a handful of queries."""

    def __init__(self, users: Iterable[User], now: dt.datetime):
        self.today = now.astimezone(dt.UTC).date()
        self.users = {user.pk: user for user in users}
        self._charts: dict[str, bytes] = {}
        self._sections: dict[tuple[int, dt.date], tuple[str, str]] = {}
        memberships = Membership.objects.filter(user_id__in=list(self.users)).values_list("user_id", "workspace_id")
        by_workspace: dict[int, list[int]] = defaultdict(list)
        for user_id, workspace_id in memberships:
            by_workspace[workspace_id].append(user_id)
        subjects = Subject.objects.filter(workspace_id__in=list(by_workspace)).order_by(
            "workspace__name", "workspace_id", "name", "pk"
        )
        self._subjects_of: dict[int, list[int]] = defaultdict(list)
        self.summaries: dict[int, SubjectSection] = {}
        rows = subjects.values_list("pk", "name", "workspace_id", "workspace__name")
        for pk, name, workspace_id, workspace_name in rows:
            self.summaries[pk] = SubjectSection(
                pk, name, workspace_name, absolute(reverse("subject_detail", args=[pk]))
            )
            for user_id in by_workspace[workspace_id]:
                self._subjects_of[user_id].append(pk)
        if self.summaries:
            self._load()

    def subjects_of(self, user_id: int) -> list[SubjectSection]:
        return [self.summaries[pk] for pk in self._subjects_of.get(user_id, [])]

    # -- loading --

    def _load(self) -> None:
        ids = list(self.summaries)
        since = self.today - dt.timedelta(days=CHART_DAYS - 1)
        self._series: dict[int, list[tuple[dt.date, float, float, float]]] = defaultdict(list)
        rows = (
            ScoreSnapshot.objects.filter(subject_id__in=ids, day__gte=since, day__lte=self.today)
            .order_by("subject_id", "day")
            .values_list("subject_id", "day", "total", "online", "offline")
        )
        for subject_id, day, total, online, offline in rows:
            self._series[subject_id].append((day, total, online, offline))
        self._load_scores(ids)
        self._load_activities(ids)
        self._load_accounts(ids)

    def _load_scores(self, ids: list[int]) -> None:
        week_ago = self.today - dt.timedelta(days=7)
        wanted: dict[int, tuple[dt.date | None, dt.date | None]] = {}
        for pk in ids:
            series = self._series.get(pk, [])
            now_row = _latest_on_or_before(series, self.today)
            ago_row = _latest_on_or_before(series, week_ago)
            wanted[pk] = (now_row[0] if now_row else None, ago_row[0] if ago_row else None)
            summary = self.summaries[pk]
            if now_row:
                total, parts = scoring.display_parts(now_row[1], {"online": now_row[2], "offline": now_row[3]})
                summary.score = str(total)
                summary.online, summary.offline = str(parts["online"]), str(parts["offline"])
                if ago_row:
                    shown_ago = shown_score(ago_row[1])
                    summary.week_ago = str(shown_ago)
                    summary.change = signed(total - shown_ago)
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
                Mover(group_label(m.side, m.group), m.side, f"{m.change:+.1f}") for m in movements
            ]

    def _load_activities(self, ids: list[int]) -> None:
        recent = Activity.objects.filter(
            subject_id__in=ids, date__gt=self.today - dt.timedelta(days=7), date__lte=self.today
        ).order_by("-date", "-pk")
        for activity in recent:
            self.summaries[activity.subject_id].activities.append(
                ActivityLine(activity.get_kind_display(), activity.title, activity.date, activity.venue)
            )

    def _load_accounts(self, ids: list[int]) -> None:
        accounts = (
            Account.objects.filter(subject_id__in=ids)
            .filter(Q(status__in=[AccountStatus.FAILING, AccountStatus.NEEDS_KEY]) | Q(network=Network.MANUAL))
            .exclude(status=AccountStatus.PAUSED)
            .annotate(latest_day=Max("observations__day"))
            .order_by("network", "handle")
        )
        for account in accounts:
            summary = self.summaries[account.subject_id]
            if account.status in (AccountStatus.FAILING, AccountStatus.NEEDS_KEY):
                detail = account.get_status_display()
                if account.last_error:
                    detail = f"{detail}: {account.last_error[:200]}"
                summary.failing.append(AccountLine(account.display_name, detail))
            if account.network == Network.MANUAL:
                collected = account.last_collected_at.date() if account.last_collected_at else None
                updated = [d for d in (account.latest_day, collected) if d]
                last = max(updated) if updated else None
                if (self.today - (last or account.created_at.date())).days > MANUAL_REMINDER_DAYS:
                    when = f"last updated {last:%d %b %Y}" if last else "never updated"
                    summary.manual_stale.append(AccountLine(account.display_name, when))

    # -- charts --

    def chart(self, subject_id: int, week_start: dt.date) -> bytes | None:
        series = self._series.get(subject_id) if hasattr(self, "_series") else None
        if not series:
            return None

        def online_offline() -> tuple[list[float], list[float]]:
            by_day = {row[0]: row for row in series}
            start = max(series[0][0], self.today - dt.timedelta(days=CHART_DAYS - 1))
            online, offline, last = [], [], (0.0, 0.0)
            for offset in range((self.today - start).days + 1):
                row = by_day.get(start + dt.timedelta(days=offset))
                last = (row[2], row[3]) if row else last  # a missing day repeats the one before
                online.append(last[0])
                offline.append(last[1])
            return online, offline

        return chart.chart_for(subject_id, week_start, online_offline, memo=self._charts)


    def section(self, summary: SubjectSection, week_start: dt.date) -> tuple[str, str]:
        """A subject's part of the email (text, HTML), the same for every recipient of that week:
        rendered once per batch, as the chart is."""
        key = (summary.pk, week_start)
        if key not in self._sections:
            png = self.chart(summary.pk, week_start)
            summary.chart_cid = chart_cid(summary.pk, week_start) if png else None
            context = {"s": summary}
            self._sections[key] = (
                render_to_string("emails/digest-section.txt", context),
                # Rendered with autoescaping on: user text in it is already escaped.
                mark_safe(render_to_string("emails/digest-section.html", context)),  # noqa: S308
            )
        return self._sections[key]


def build_message(
    user: User, week_start: dt.date, data: DigestData, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The user's email for that week: text, HTML, one inline chart per subject, unsubscribe headers."""
    sections, images = [], []
    for summary in data.subjects_of(user.pk):
        sections.append(data.section(summary, week_start))
        png = data.chart(summary.pk, week_start)
        if png:
            images.append((chart_cid(summary.pk, week_start), png))
    unsubscribe_url = absolute(reverse("digest_unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "week_start": week_start,
        "sections": sections,
        "site_url": settings.SITE_URL,
        "home_url": absolute(reverse("home")),
        "preferences_url": absolute(reverse("digest_preferences")),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return render_email("digest", context, [user.email], headers=headers, inline_images=images, connection=connection)
