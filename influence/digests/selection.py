"""Who gets the weekly email, and when: each user's week and send time in their own zone.

Times: Digest.week_start is the Monday of the week in the user's own zone; the
send time is that Monday + weekday days at hour:00 local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Exists, OuterRef, Q, Subquery

from influence.core.addresses import email_is_verified
from influence.core.models import Digest, Subject, User

# Users per task: large enough that a batch shares its queries, its SMTP
# connection and its charts, small enough to spread 1,000 users over workers.
BATCH_SIZE = 30
# UTC+14 (Kiribati) is the earliest local time on Earth: no user's week starts after its Monday.
EARLIEST_OFFSET = dt.timedelta(hours=14)


@dataclass(frozen=True)
class Due:
    user_id: int
    week_start: dt.date


def zone(name: str) -> ZoneInfo:
    """The user's zone; a name the system no longer knows falls back to UTC rather than failing a batch."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_week_start(now: dt.datetime, tz: ZoneInfo) -> dt.date:
    return week_start_of(now.astimezone(tz).date())


def send_time(week_start: dt.date, weekday: int, hour: int, tz: ZoneInfo) -> dt.datetime:
    """The moment a week's email is due, as an aware local datetime (an hour skipped by DST
    resolves to the instant after the gap, as zoneinfo does)."""
    return dt.datetime.combine(week_start + dt.timedelta(days=weekday), dt.time(hour), tzinfo=tz)


def next_send(user: User, now: dt.datetime) -> tuple[dt.datetime, bool] | None:
    """When the user's next email goes out, in their zone, and whether it is already due (the
    dispatcher takes it within its next run); None when the summary is off."""
    if not user.digest_enabled:
        return None
    tz = zone(user.time_zone)
    week = local_week_start(now, tz)
    when = send_time(week, user.digest_weekday, user.digest_hour, tz)
    if when <= now:
        if not Digest.objects.filter(user=user, week_start=week).exists():
            return when, True
        when = send_time(week + dt.timedelta(days=7), user.digest_weekday, user.digest_hour, tz)
    return when, False


# --- who is due ---------------------------------------------------------------------------------


def due_users(now: dt.datetime, *, ignore_schedule: bool = False, user_ids: Iterable[int] | None = None) -> list[Due]:
    """Users with the summary on, a confirmed email, and a subject whose send time this week (in their zone) has
    passed and who have no Digest for that week; with `ignore_schedule`, whatever the weekday
    and hour. One query: the latest claimed week comes along as a subquery (served by the
    unique index on (user, week_start)); local times are computed per row in Python."""
    latest_week = Digest.objects.filter(user=OuterRef("pk")).order_by("-week_start").values("week_start")[:1]
    # No user's week starts after the Monday of the earliest zone: users who already have that
    # week (or a later one) cannot be due, so most of them stay in the database.
    newest_possible = week_start_of((now.astimezone(dt.UTC) + EARLIEST_OFFSET).date())
    users = (
        User.objects.filter(digest_enabled=True, is_active=True)
        # Only to an address its owner confirmed.
        .filter(email_is_verified())
        .filter(Exists(Subject.objects.filter(workspace__memberships__user=OuterRef("pk"), is_sample=False)))
        .annotate(latest_week=Subquery(latest_week))
        .filter(Q(latest_week__isnull=True) | Q(latest_week__lt=newest_possible))
    )
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    due = []
    rows = users.order_by("pk").values_list("pk", "time_zone", "digest_weekday", "digest_hour", "latest_week")
    for pk, tz_name, weekday, hour, latest in rows.iterator(chunk_size=2000):
        tz = zone(tz_name)
        week = local_week_start(now, tz)
        if latest is not None and latest >= week:
            continue
        if ignore_schedule or send_time(week, weekday, hour, tz) <= now:
            due.append(Due(pk, week))
    return due


def batches(items: list[Due], size: int = BATCH_SIZE) -> list[list[Due]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


