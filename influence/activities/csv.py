"""Activities as CSV (SPEC.md section C): parse and check a whole file, import it, export it.

Format: the header `kind,title,date,end_date,audience,venue,url,notes` (any order,
names compared without case), then one activity per record; comma or semicolon
separated (told apart by the header), UTF-8 with or without a byte order mark,
fields quoted when they hold the separator, quotes or line breaks.

Import is all or nothing: the whole file is checked first and every bad record
is reported by the physical line of the file where it starts (the header is
line 1; a quoted line break moves the following records down). A record with
the same kind, title and date as an activity of the subject updates it, so a
file imported twice creates nothing the second time. Two records with the same
kind, title and date in one file are an error: which one should win is the
user's call, not ours.

Text a spreadsheet would run as a formula is escaped on export and unescaped on
import by influence.core.csvsafe, the escape every CSV of the product uses:
export then import gives back the exact values.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from influence.activities.rules import FIELDS, ActivityData, as_row, validate_activity
from influence.core.choices import ActivityKind
from influence.core.csvsafe import escape_formula, unescape_formula
from influence.core.models import Activity, Subject
from influence.scoring.queue import queue_subject_recompute

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Rows per statement: a 5,000-row file in a few round trips, each well under PostgreSQL's parameter limit.
BATCH_SIZE = 500
# Text columns a spreadsheet could read as a formula; the others are validated
# (kind, dates, audience) or must start with http (url).
TEXT_FIELDS = ("title", "venue", "notes")


class ImportRefused(Exception):
    """The file as a whole cannot be read: too big, not UTF-8, wrong header, too many rows."""


@dataclass(frozen=True)
class RowError:
    line: int
    messages: list[str]


@dataclass
class CheckedFile:
    rows: list[ActivityData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def decode(raw: bytes) -> str:
    """The file's text; refuses anything but UTF-8 (a byte order mark is allowed and dropped)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRefused("The file is UTF-16 text; save it as CSV UTF-8 and upload it again.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02X} at position {error.start:,} is not UTF-8, "
            "as in a Latin-1 or Windows-1252 file); save it as CSV UTF-8 and upload it again."
        ) from None
    if not text.strip():
        raise ImportRefused("The file is empty.")
    return text


def _header_fields(line: str, delimiter: str) -> list[str]:
    return [name.strip().lower() for name in next(csv.reader([line], delimiter=delimiter))]


def detect_delimiter(text: str) -> str:
    """Comma or semicolon: whichever splits the header into the expected column names."""
    first_line = text.splitlines()[0] if text else ""
    for delimiter in (",", ";"):
        if sorted(_header_fields(first_line, delimiter)) == sorted(FIELDS):
            return delimiter
    # Name what is wrong, split the way the line seems to be meant.
    guess = ";" if first_line.count(";") > first_line.count(",") else ","
    found = _header_fields(first_line, guess)
    problems = []
    missing = [name for name in FIELDS if name not in found]
    if missing:
        problems.append("missing " + ", ".join(missing))
    unknown = [name for name in found if name not in FIELDS]
    if unknown:
        problems.append("unknown " + ", ".join(repr(name[:40]) for name in unknown[:10]))
    repeated = sorted({name for name in found if name in FIELDS and found.count(name) > 1})
    if repeated:
        problems.append("repeated " + ", ".join(repeated))
    raise ImportRefused(
        f"Wrong header row ({'; '.join(problems)}): the first line must name the columns "
        f"{','.join(FIELDS)}, separated by commas or semicolons."
    )


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """Each record after the header with the file line it starts on; blank records skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if start == 1 or not any(value.strip() for value in record):
                continue
            yield start, record
    except csv.Error as error:
        raise ImportRefused(f"Line {previous_end + 1} cannot be read as CSV: {error}.") from None


def check_file(raw: bytes, today: dt.date | None = None) -> CheckedFile:
    """Read and check a whole file; every record is validated as the form validates it.

    Raises ImportRefused for a file that cannot be read at all; returns the clean
    rows, or the errors of every bad record (with its line).
    """
    if len(raw) > MAX_BYTES:
        raise ImportRefused(f"The file is {len(raw) / 1024 / 1024:.1f} MB; the limit is 2 MB.")
    text = decode(raw)
    delimiter = detect_delimiter(text)
    header = _header_fields(text.splitlines()[0], delimiter)
    checked = CheckedFile()
    first_line_of: dict[tuple, int] = {}
    count = 0
    for line, record in _records(text, delimiter):
        count += 1
        if count > MAX_ROWS:
            raise ImportRefused(f"The file has more than {MAX_ROWS:,} activities; split it into smaller files.")
        if len(record) != len(header):
            checked.errors.append(RowError(line, [
                f"Expected {len(header)} fields, found {len(record)} "
                f"(a {'semicolon' if delimiter == ';' else 'comma'} in a value needs the value in double quotes)."
            ]))
            continue
        values = dict(zip(header, record, strict=True))
        for name in TEXT_FIELDS:
            values[name] = unescape_formula(values[name])
        result = validate_activity(values, today)
        data = result.data
        if data is None:
            checked.errors.append(RowError(line, [
                f"{name.replace('_', ' ')}: {message}" for name in FIELDS for message in result.errors.get(name, [])
            ]))
            continue
        key = data.key
        if key in first_line_of:
            checked.errors.append(RowError(line, [
                f"Same kind, title and date as line {first_line_of[key]}; keep one of the two."
            ]))
            continue
        first_line_of[key] = line
        checked.rows.append(data)
    if count == 0 and not checked.errors:
        raise ImportRefused("The file has a header but no activities.")
    return checked


def import_rows(subject: Subject, rows: list[ActivityData]) -> ImportResult:
    """Store checked rows in one transaction: update the activities with the same key, create the rest.

    An activity whose values are already those of the row is left alone, so a
    re-import changes nothing. Scores are recomputed from the earliest date touched.
    """
    created: list[Activity] = []
    changed: list[Activity] = []
    with transaction.atomic():
        existing: dict[tuple, Activity] = {}
        # Newest first, so that of two equal activities (possible through the admin) the oldest wins.
        for found in Activity.objects.filter(subject=subject).order_by("-pk"):
            existing[(found.kind, found.title, found.date)] = found
        for data in rows:
            activity = existing.get(data.key)
            if activity is None:
                created.append(Activity(subject=subject, **data.as_dict()))
            elif any(getattr(activity, name) != value for name, value in data.as_dict().items()):
                for name, value in data.as_dict().items():
                    setattr(activity, name, value)
                changed.append(activity)
        Activity.objects.bulk_create(created, batch_size=BATCH_SIZE)
        # An upsert on the primary key updates the changed rows in a few statements
        # (Django's bulk_update builds CASE expressions that take tens of seconds of
        # CPU for 5,000 rows); auto_now still moves updated_at.
        Activity.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["id"], update_fields=[*FIELDS, "updated_at"],
            batch_size=BATCH_SIZE,
        )
        touched = [a.date for a in created + changed]
        if touched:
            queue_subject_recompute(subject.pk, min(touched))
    return ImportResult(created=len(created), updated=len(changed), unchanged=len(rows) - len(created) - len(changed))


def write_csv(rows: Iterable[dict[str, str]]) -> str:
    """The CSV text of rows (each a dict of the columns), with a byte order mark for spreadsheets."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([escape_formula(row[name]) if name in TEXT_FIELDS else row[name] for name in FIELDS])
    return out.getvalue()


def export_csv(activities: Iterable[Activity]) -> str:
    return write_csv(as_row(activity) for activity in activities)


# One example per kind: the downloadable template, and a file that imports as it is.
_EXAMPLES = {
    ActivityKind.KEYNOTE: ("Opening keynote: the future of open data", "2025-03-12", "", "800", "Data Days Lyon",
                           "https://example.org/data-days", ""),
    ActivityKind.TALK: ("Scaling small teams", "2025-04-03", "", "120", "DevConf Brno", "", ""),
    ActivityKind.WORKSHOP: ("Hands-on accessibility", "2025-05-20", "", "25", "A11y Camp", "", "Half a day"),
    ActivityKind.PANEL: ("Panel: remote work, five years on", "2025-06-11", "", "300", "Future of Work Summit", "",
                         ""),
    ActivityKind.BOOK: ("Influence without noise", "2024-10-01", "", "3000", "North Press", "", "Copies sold"),
    ActivityKind.ARTICLE: ("Why dashboards lie", "2025-02-14", "", "5000", "Example Magazine",
                           "https://example.org/why-dashboards-lie", ""),
    ActivityKind.TEACHING: ("Data journalism, evening class", "2024-09-15", "2025-06-30", "30", "City College", "",
                            ""),
    ActivityKind.MEDIA: ("Interview on local radio", "2025-01-22", "", "20000", "Radio Example", "", ""),
    ActivityKind.AWARD: ("Community award", "2024-12-05", "", "0", "Open Source Guild", "", ""),
    ActivityKind.REFERRAL: ("Referred for a rebranding project", "2025-03-30", "", "", "Acme Ltd", "",
                            "Empty audience means 0"),
    ActivityKind.MENTORING: ("Mentoring two junior designers", "2025-01-10", "", "2", "Design mentoring circle", "",
                             ""),
    ActivityKind.BOARD: ("Advisory board member", "2023-05-01", "", "0", "Example Foundation", "", ""),
    ActivityKind.EVENT: ("Organised the city meetup", "2025-05-08", "", "60", "Example Meetup", "", ""),
    ActivityKind.OTHER: ("Judge at a hackathon", "2025-02-01", "", "", "Example Hack", "", ""),
}


def template_csv() -> str:
    """The header and one example row per kind."""
    return write_csv(
        dict(zip(FIELDS, (kind, *example), strict=True)) for kind, example in _EXAMPLES.items()
    )
