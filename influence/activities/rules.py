"""Offline activities: one set of validation rules, saving, and what each kind scores.

The form on the web and every row of a CSV import go through `validate_activity`,
so a value the form refuses is refused by an import with the same message. The
CSV format itself (parse, import, export) is in influence/activities/csv.py.
Dates lie between 1900-01-01 and a year ahead of today (influence.core.dates).

Every change to a subject's activities queues a recompute of its scores from the
earliest day the change touches, once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from influence.core.choices import ONGOING_KINDS, ActivityKind
from influence.core.dates import EARLIEST_DATE, latest_allowed_date
from influence.core.models import Activity, Subject
from influence.core.models.activities import MAX_AUDIENCE
from influence.scoring.parameters import Parameters
from influence.scoring.queue import queue_subject_recompute

# The columns of the CSV format (SPEC.md section C), in order; also the form's fields.
FIELDS = ("kind", "title", "date", "end_date", "audience", "venue", "url", "notes")
MAX_TITLE = 200
MAX_VENUE = 200
MAX_URL = 500
MAX_NOTES = 5000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DIGITS = re.compile(r"^[0-9]+$")
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class ActivityData:
    """An activity's validated values, ready to store."""

    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    audience: int
    venue: str
    url: str
    notes: str

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """What identifies an activity within its subject: an import updates the row with the same key."""
        return (self.kind, self.title, self.date)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class Validation:
    data: ActivityData | None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _parse_date(text: str, label: str, check: Validation, name: str, today: dt.date) -> dt.date | None:
    if not ISO_DATE.match(text):
        check.add(name, f"Enter the {label} as YYYY-MM-DD, for example 2026-03-01.")
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        check.add(name, f"{text} is not a day of the calendar.")
        return None
    limit = latest_allowed_date(today)
    if value > limit:
        check.add(name, f"The {label} is more than a year ahead: the latest allowed is {limit.isoformat()}.")
        return None
    if value < EARLIEST_DATE:
        check.add(name, f"The {label} is before {EARLIEST_DATE.isoformat()}, the earliest allowed.")
        return None
    return value


def _parse_audience(text: str, check: Validation) -> int:
    if text == "":
        return 0
    if text.startswith("-") and DIGITS.match(text[1:]):
        check.add("audience", "The audience cannot be negative.")
        return 0
    if not DIGITS.match(text):
        check.add("audience", "Enter the audience as a whole number of people, like 250 (digits only).")
        return 0
    # Compare lengths first: a thousand-digit string should not become an integer.
    if len(text.lstrip("0")) > len(str(MAX_AUDIENCE)) or int(text) > MAX_AUDIENCE:
        check.add("audience", f"The audience can be at most {MAX_AUDIENCE:,}.")
        return 0
    return int(text)


def _check_length(text: str, limit: int, label: str, name: str, check: Validation) -> None:
    if len(text) > limit:
        check.add(name, f"Keep the {label} to {limit:,} characters (it has {len(text):,}).")


def validate_activity(raw: Mapping[str, str | None], today: dt.date | None = None) -> Validation:
    """Check an activity's values as typed (strings), field by field.

    Returns the clean values, or the errors of every field that is wrong with a
    message a user can act on. Leading and trailing spaces are ignored; an
    empty audience means 0; dates are ISO (YYYY-MM-DD) whatever the locale.
    """
    today = today or timezone.now().date()
    values = {name: (raw.get(name) or "").strip() for name in FIELDS}
    check = Validation(data=None)
    for name, text in values.items():
        # PostgreSQL cannot store NUL characters in text; say so instead of failing.
        if "\x00" in text:
            check.add(name, "This value contains a NUL character; remove it.")
    if check.errors:
        return check

    kind = values["kind"]
    if kind not in ActivityKind.values:
        if kind:
            check.add("kind", f"Unknown kind {kind!r}: use one of {', '.join(ActivityKind.values)}.")
        else:
            check.add("kind", "Choose a kind.")
    if not values["title"]:
        check.add("title", "Enter a title.")
    _check_length(values["title"], MAX_TITLE, "title", "title", check)

    date_label = "start date" if kind in ONGOING_KINDS else "date"
    date = None
    if values["date"]:
        date = _parse_date(values["date"], date_label, check, "date", today)
    else:
        check.add("date", f"Enter the {date_label} (YYYY-MM-DD).")
    end_date = None
    if values["end_date"]:
        end_date = _parse_date(values["end_date"], "end date", check, "end_date", today)
        if date and end_date and end_date < date:
            check.add("end_date", f"The end date cannot be before the {date_label} ({date.isoformat()}).")

    audience = _parse_audience(values["audience"], check)
    _check_length(values["venue"], MAX_VENUE, label_for(kind, "venue").lower(), "venue", check)
    if values["url"]:
        if len(values["url"]) > MAX_URL:
            _check_length(values["url"], MAX_URL, "web address", "url", check)
        else:
            try:
                _url_validator(values["url"])
            except ValidationError:
                check.add("url", "Enter a full web address starting with http:// or https://.")
    _check_length(values["notes"], MAX_NOTES, "notes", "notes", check)

    if not check.errors and date is not None:
        check.data = ActivityData(
            kind=kind, title=values["title"], date=date, end_date=end_date, audience=audience,
            venue=values["venue"], url=values["url"], notes=values["notes"],
        )
    return check


def as_row(activity: Activity) -> dict[str, str]:
    """An activity's values as text: the CSV row and the edit form's initial values."""
    return {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "end_date": activity.end_date.isoformat() if activity.end_date else "",
        "audience": str(activity.audience),
        "venue": activity.venue,
        "url": activity.url,
        "notes": activity.notes,
    }


# What the form and the API say when find_same finds one.
SAME_ACTIVITY = (
    "This subject already has an activity of this kind with this title on this date; edit that one instead."
)


def find_same(subject: Subject, data: ActivityData, exclude_pk: int | None = None) -> Activity | None:
    """Another activity of the subject with the same kind, title and date, if any."""
    same = subject.activities.filter(kind=data.kind, title=data.title, date=data.date).order_by("pk")
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    return same.first()


def save_activity(subject: Subject, data: ActivityData, activity: Activity | None = None) -> Activity:
    """Create (no `activity`) or update an activity of `subject`, and queue its scores' recompute.

    On an edit the scores are recomputed from the earlier of the old and the new
    date: moving a talk later must also remove it from the days it left.
    """
    with transaction.atomic():
        since = data.date
        if activity is None:
            activity = Activity(subject=subject)
        elif activity.date:
            since = min(activity.date, data.date)
        for name, value in data.as_dict().items():
            setattr(activity, name, value)
        activity.save()
        queue_subject_recompute(subject.pk, since)
    return activity


def delete_activity(activity: Activity) -> None:
    with transaction.atomic():
        subject_id, since = activity.subject_id, activity.date
        activity.delete()
        queue_subject_recompute(subject_id, since)


# --- how each kind scores: labels and help texts -----------------------------------

TALK_KINDS = frozenset({ActivityKind.KEYNOTE, ActivityKind.TALK, ActivityKind.WORKSHOP, ActivityKind.PANEL})

# What `venue` and `audience` mean for each kind (publisher, client and outlet go in venue).
_VENUE_LABELS: dict[str, str] = {
    ActivityKind.BOOK: "Publisher",
    ActivityKind.ARTICLE: "Published in",
    ActivityKind.TEACHING: "School or organiser",
    ActivityKind.MEDIA: "Outlet",
    ActivityKind.AWARD: "Awarded by",
    ActivityKind.REFERRAL: "Client referred",
    ActivityKind.MENTORING: "Mentee or programme",
    ActivityKind.BOARD: "Organisation",
    ActivityKind.EVENT: "Event",
    ActivityKind.OTHER: "Where",
}
_AUDIENCE_LABELS: dict[str, str] = {
    ActivityKind.BOOK: "Copies sold",
    ActivityKind.ARTICLE: "Readers",
    ActivityKind.TEACHING: "Students",
    ActivityKind.MEDIA: "Audience of the outlet",
    ActivityKind.REFERRAL: "People reached",
    ActivityKind.MENTORING: "People mentored",
    ActivityKind.EVENT: "Attendees",
}


def label_for(kind: str, name: str) -> str:
    """The label of a field for a kind: a book's venue is its publisher, a talk's its event."""
    if name == "venue":
        return "Event" if kind in TALK_KINDS else _VENUE_LABELS.get(kind, "Venue")
    if name == "audience":
        return _AUDIENCE_LABELS.get(kind, "Audience (people)")
    if name == "date":
        if kind in ONGOING_KINDS:
            return "Start date"
        return "Publication date" if kind in (ActivityKind.BOOK, ActivityKind.ARTICLE) else "Date"
    if name == "end_date":
        return "End date (leave empty while it runs)" if kind in ONGOING_KINDS else "End date"
    return name.replace("_", " ").capitalize()


def _number(value: float) -> str:
    return f"{value:g}"


def scoring_rule(kind: str, params: Parameters) -> str:
    """How an activity of this kind scores under the workspace's parameters, in one sentence."""
    base = _number(params.bases.get(kind, 0.0))
    half_life = _number(params.half_lives.get(kind, 0.0))
    label = ActivityKind(kind).label if kind in ActivityKind.values else kind
    points = f"{base} point{'' if base == '1' else 's'}"
    days = f"{half_life} day{'' if half_life == '1' else 's'}"
    size = "times an audience factor (1 when unknown, about 2 at 1,000 people)"
    if kind in ONGOING_KINDS:
        return (
            f"{label} scores {points} {size}, in full while it runs (forever without an end date); "
            f"after the end date it halves every {days}."
        )
    return f"{label} scores {points} {size}, halving every {days} after its date."
