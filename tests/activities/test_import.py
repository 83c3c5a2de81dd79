"""CSV import: the whole file is checked first, and nothing is imported if any row is wrong."""

import datetime as dt

import pytest
import time_machine
from django.db import DataError
from django.urls import reverse

from influence.activities import csv as activity_csv
from influence.activities.rules import validate_activity
from influence.core.models import Activity, PendingWork
from tests.activities.conftest import HEADER, TODAY, activity_rows, csv_text, upload
from tests.factories import ActivityFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


def post_file(client, subject, content, **kwargs):
    return client.post(reverse("activity_import", args=[subject.pk]), {"file": upload(content, **kwargs)},
                       follow=True)


def talks(count: int) -> list[str]:
    return [f"talk,Talk number {n},2026-01-{1 + n % 28:02d},,{n},Venue {n},," for n in range(count)]


def test_a_good_file_creates_its_activities(editor_client, subject):
    content = csv_text(
        "keynote,Opening keynote,2026-03-01,,800,Data Days,https://example.org/dd,Invited",
        "teaching,Evening class,2025-09-01,2026-06-01,30,City College,,",
        "referral,Referred Acme,2026-02-01,,,Acme Ltd,,",
    )
    response = post_file(editor_client, subject, content)
    assert "Imported the file: 3 new, 0 updated, 0 unchanged." in response.content.decode()
    rows = {a.title: a for a in subject.activities.all()}
    assert rows["Opening keynote"].audience == 800
    assert rows["Opening keynote"].url == "https://example.org/dd"
    assert rows["Evening class"].end_date == dt.date(2026, 6, 1)
    assert rows["Referred Acme"].audience == 0
    assert rows["Referred Acme"].venue == "Acme Ltd"


def test_one_bad_row_among_a_hundred_imports_nothing_and_names_the_row(editor_client, subject):
    rows = talks(100)
    rows[56] = "talk,Bad talk,2026-02-30,,12,,,"
    response = post_file(editor_client, subject, csv_text(*rows))
    html = response.content.decode()
    assert "Nothing was imported:" in html
    # The header is line 1, so the 57th activity is on line 58.
    assert "<li>Line 58: date: 2026-02-30 is not a day of the calendar.</li>" in html
    assert html.count("<li>Line ") == 1
    assert subject.activities.count() == 0


def test_every_bad_row_is_listed_with_all_its_reasons(editor_client, subject):
    content = csv_text(
        "talk,Fine,2026-01-01,,,,,",
        "podcast,,2026/01/01,,-5,,ftp://x,",
        "teaching,Class,2026-03-01,2026-02-01,,,,",
        "talk,Too far ahead,2027-07-01,,,,,",
        "talk,Too,many,fields,,,,,",
    )
    html = post_file(editor_client, subject, content).content.decode()
    assert "4 rows of the file have errors" in html
    assert "Line 3: kind: Unknown kind &#x27;podcast&#x27;" in html
    assert "title: Enter a title." in html
    assert "date: Enter the date as YYYY-MM-DD, for example 2026-03-01." in html
    assert "audience: The audience cannot be negative." in html
    assert "url: Enter a full web address starting with http:// or https://." in html
    assert "Line 4: end date: The end date cannot be before the start date (2026-03-01)." in html
    assert "Line 5: date: The date is more than a year ahead: the latest allowed is 2027-06-30." in html
    assert "Line 6: Expected 8 fields, found 9" in html
    assert subject.activities.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", "01/03/2026"), ("date", "2027-12-01"), ("audience", "100000001"), ("audience", "1.5"),
     ("url", "javascript:alert(1)"), ("title", "t" * 201), ("notes", "n" * 5001), ("kind", "webinar")],
)
def test_the_import_refuses_what_the_form_refuses_with_the_same_message(field, value):
    row = {"kind": "talk", "title": "T", "date": "2026-03-01", "end_date": "", "audience": "", "venue": "",
           "url": "", "notes": "", field: value}
    form_messages = validate_activity(row, today=TODAY).errors[field]
    checked = activity_csv.check_file(csv_text(",".join(row[name] for name in activity_csv.FIELDS)).encode())
    assert checked.rows == []
    assert checked.errors[0].messages == [f"{field}: {message}" for message in form_messages]


def test_a_file_with_a_byte_order_mark_is_read(editor_client, subject):
    post_file(editor_client, subject, "\ufeff" + csv_text("talk,Café talk,2026-01-05,,10,Zürich,,"))
    activity = subject.activities.get()
    assert (activity.kind, activity.title, activity.venue) == ("talk", "Café talk", "Zürich")


def test_a_semicolon_file_is_read_and_commas_in_it_are_plain_text(editor_client, subject):
    content = csv_text("talk;Hello, world;2026-01-05;;10;Berlin, Germany;;a, b", header=HEADER.replace(",", ";"))
    post_file(editor_client, subject, content)
    activity = subject.activities.get()
    assert (activity.title, activity.venue, activity.notes) == ("Hello, world", "Berlin, Germany", "a, b")


def test_quoted_commas_quotes_and_line_breaks_are_read_and_lines_counted_in_the_file(editor_client, subject):
    content = csv_text(
        'talk,"Data, and ""truth""",2026-01-05,,10,,,"line one\r\nline two\r\nline three"',
        "talk,Broken,2026-13-01,,,,,",
    )
    html = post_file(editor_client, subject, content).content.decode()
    # The first record takes lines 2 to 4 of the file, so the bad one is on line 5.
    assert "Line 5: date: 2026-13-01 is not a day of the calendar." in html
    post_file(editor_client, subject, content.replace("2026-13-01", "2026-01-13"))
    activity = subject.activities.get(title='Data, and "truth"')
    assert activity.notes == "line one\r\nline two\r\nline three"


def test_a_file_over_2_mb_is_refused(editor_client, subject):
    filler = "n" * 4000
    rows = [f"talk,Talk {n},2026-01-01,,,,,{filler}" for n in range(600)]
    content = csv_text(*rows)
    assert len(content.encode()) > 2 * 1024 * 1024
    html = post_file(editor_client, subject, content).content.decode()
    assert "MB; the limit is 2 MB." in html
    assert subject.activities.count() == 0


def test_a_file_over_5000_rows_is_refused_and_5000_are_accepted(editor_client, subject):
    rows = [f"other,Item {n},2026-01-01,,,,," for n in range(5001)]
    html = post_file(editor_client, subject, csv_text(*rows)).content.decode()
    assert "The file has more than 5,000 activities; split it into smaller files." in html
    assert subject.activities.count() == 0
    assert len(activity_csv.check_file(csv_text(*rows[:5000]).encode(), today=TODAY).rows) == 5000


def test_a_file_that_is_not_utf8_is_refused_saying_so(editor_client, subject):
    content = csv_text("talk,Café,2026-01-05,,,,,").encode("latin-1")
    html = post_file(editor_client, subject, content).content.decode()
    assert "The file is not UTF-8 text (byte 0xE9" in html
    assert "save it as CSV UTF-8" in html
    assert subject.activities.count() == 0


def test_a_utf16_file_is_refused_saying_so(editor_client, subject):
    html = post_file(editor_client, subject, csv_text("talk,T,2026-01-05,,,,,").encode("utf-16")).content.decode()
    assert "The file is UTF-16 text; save it as CSV UTF-8" in html


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("kind,title,date,audience,venue,url,notes", "missing end_date"),
        ("kind,title,date,end_date,audience,venue,link,notes", "missing url; unknown &#x27;link&#x27;"),
        ("kind;title;date;end_date;audience;venue;url;notes;extra", "unknown &#x27;extra&#x27;"),
        ("Talk,My talk,2026-01-01,,,,,", "missing kind, title, date"),
    ],
)
def test_a_wrong_header_is_refused_saying_what_is_wrong(editor_client, subject, header, message):
    html = post_file(editor_client, subject, csv_text("talk,T,2026-01-05,,,,,", header=header)).content.decode()
    assert "Wrong header row (" in html
    assert message in html
    assert subject.activities.count() == 0


def test_header_names_are_read_in_any_order_and_case(editor_client, subject):
    header = "Title,KIND,date,end_date,audience,venue,url,notes"
    post_file(editor_client, subject, csv_text("My talk,talk,2026-01-05,,,,,", header=header))
    assert subject.activities.get().title == "My talk"


def test_empty_and_header_only_files_are_refused(editor_client, subject):
    assert "The submitted file is empty." in post_file(editor_client, subject, b"").content.decode()
    html = post_file(editor_client, subject, b"   \r\n").content.decode()
    assert "The file is empty." in html
    html = post_file(editor_client, subject, csv_text()).content.decode()
    assert "The file has a header but no activities." in html


def test_blank_lines_are_skipped_but_still_counted_for_line_numbers(editor_client, subject):
    content = csv_text("", "talk,T,2026-01-05,,,,,", ",,,,,,,", "talk,U,bad,,,,,")
    html = post_file(editor_client, subject, content).content.decode()
    assert "Line 5: date: Enter the date as YYYY-MM-DD" in html
    assert html.count("<li>Line ") == 1


def test_reimporting_a_file_creates_nothing_and_changes_nothing(editor_client, subject):
    content = csv_text(*talks(10))
    post_file(editor_client, subject, content)
    before = activity_rows(subject)
    response = post_file(editor_client, subject, content)
    assert "Imported the file: 0 new, 0 updated, 10 unchanged." in response.content.decode()
    assert activity_rows(subject) == before


def test_a_row_with_the_kind_title_and_date_of_an_activity_updates_it(editor_client, subject):
    existing = ActivityFactory(subject=subject, kind="talk", title="Known talk", date=dt.date(2026, 1, 5),
                               audience=10)
    response = post_file(editor_client, subject, csv_text(
        "talk,Known talk,2026-01-05,,250,New venue,,",
        "book,Known talk,2026-01-05,,,,,",
    ))
    assert "Imported the file: 1 new, 1 updated, 0 unchanged." in response.content.decode()
    existing.refresh_from_db()
    assert (existing.audience, existing.venue) == (250, "New venue")
    assert subject.activities.count() == 2


def test_the_same_activity_twice_in_one_file_is_an_error(editor_client, subject):
    content = csv_text("talk,Twice,2026-01-05,,10,,,", "talk,Other,2026-01-05,,,,,", "talk,Twice,2026-01-05,,20,,,")
    html = post_file(editor_client, subject, content).content.decode()
    assert "Line 4: Same kind, title and date as line 2; keep one of the two." in html
    assert subject.activities.count() == 0


def test_an_import_queues_one_recompute_from_the_earliest_date_it_changed(
    editor_client, subject, django_capture_on_commit_callbacks
):
    content = csv_text("talk,A,2026-03-01,,,,,", "talk,B,2025-11-20,,,,,")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_file(editor_client, subject, content)
    assert len(callbacks) == 1
    assert list(PendingWork.objects.values_list("subject_id", "since")) == [(subject.pk, dt.date(2025, 11, 20))]
    PendingWork.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_file(editor_client, subject, content)
    assert callbacks == [] and not PendingWork.objects.exists()


def test_an_import_that_fails_in_the_database_leaves_nothing_behind(subject):
    good = activity_csv.check_file(csv_text(*talks(5)).encode(), today=TODAY).rows
    broken = good[:4] + [good[4].__class__(**{**good[4].as_dict(), "title": "x" * 300})]
    with pytest.raises(DataError, match="value too long"):
        activity_csv.import_rows(subject, broken)
    assert Activity.objects.filter(subject=subject).count() == 0


def test_an_updated_activity_keeps_its_id_and_creation_time_and_moves_its_update_time(editor_client, subject):
    existing = ActivityFactory(subject=subject, kind="talk", title="Known talk", date=dt.date(2026, 1, 5))
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        post_file(editor_client, subject, csv_text("talk,Known talk,2026-01-05,,999,,,"))
    updated = subject.activities.get()
    assert updated.pk == existing.pk
    assert updated.audience == 999
    assert updated.created_at == existing.created_at
    assert updated.updated_at == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
