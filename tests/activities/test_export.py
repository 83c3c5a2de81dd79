"""CSV export in the import format, the round trip, and the downloadable template."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from influence.activities import csv as activity_csv
from influence.core.choices import ActivityKind
from tests.activities.conftest import HEADER, TODAY, activity_rows, upload
from tests.factories import ActivityFactory

pytestmark = pytest.mark.usefixtures("frozen_today")

TRICKY = [
    {"kind": "talk", "title": 'Commas, "quotes" and ;semicolons;', "notes": "line one\r\nline two\nline three"},
    {"kind": "book", "title": "=HYPERLINK(\"http://evil.example\",\"click\")", "venue": "+Plus press",
     "notes": "-minus first"},
    {"kind": "media", "title": "'=already quoted", "venue": "@handle", "notes": "''+two quotes"},
    {"kind": "teaching", "title": "Ünïcödé ✓ 日本語", "end_date": dt.date(2026, 5, 1), "audience": 100_000_000},
    {"kind": "award", "title": "'plain apostrophe", "venue": "Tab\tinside", "url": "https://example.org/a?b=1,2"},
]


def export(client, subject) -> str:
    response = client.get(reverse("activity_export", args=[subject.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="activities-jane-doe-2026-06-30.csv"')
    return response.content.decode("utf-8")


def test_the_export_is_in_the_import_format(viewer_client, subject):
    ActivityFactory(subject=subject, kind="keynote", title="Opening", date=dt.date(2026, 3, 1), audience=800,
                    venue="Data Days", url="https://example.org/dd", notes="Invited")
    ActivityFactory(subject=subject, kind="board", title="Advisor", date=dt.date(2024, 1, 1),
                    end_date=dt.date(2025, 12, 31), audience=0, venue="", url="", notes="")
    text = export(viewer_client, subject)
    assert text.startswith("\ufeff" + HEADER + "\r\n")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:] == [
        ["board", "Advisor", "2024-01-01", "2025-12-31", "0", "", "", ""],
        ["keynote", "Opening", "2026-03-01", "", "800", "Data Days", "https://example.org/dd", "Invited"],
    ]


def test_text_a_spreadsheet_would_run_as_a_formula_is_exported_with_an_apostrophe(viewer_client, subject):
    for values in TRICKY:
        ActivityFactory(subject=subject, date=dt.date(2026, 1, 1), **values)
    rows = list(csv.DictReader(io.StringIO(export(viewer_client, subject).lstrip("\ufeff"))))
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["book"]["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert by_kind["book"]["venue"] == "'+Plus press"
    assert by_kind["book"]["notes"] == "'-minus first"
    assert by_kind["media"]["title"] == "''=already quoted"
    assert by_kind["media"]["venue"] == "'@handle"
    assert by_kind["award"]["title"] == "'plain apostrophe"
    assert by_kind["award"]["venue"] == "Tab\tinside"
    assert by_kind["talk"]["title"] == 'Commas, "quotes" and ;semicolons;'


def test_export_then_import_is_an_exact_round_trip(editor_client, subject):
    for n, values in enumerate(TRICKY):
        ActivityFactory(subject=subject, date=dt.date(2026, 1, 1) + dt.timedelta(days=n), **values)
    ActivityFactory.create_batch(20, subject=subject)
    before = activity_rows(subject)
    exported = export(editor_client, subject)
    response = editor_client.post(
        reverse("activity_import", args=[subject.pk]), {"file": upload(exported)}, follow=True
    )
    assert "Imported the file: 0 new, 0 updated, 25 unchanged." in response.content.decode()
    assert activity_rows(subject) == before


def test_an_export_imported_into_another_subject_copies_every_value(editor_client, subject):
    from tests.factories import SubjectFactory

    for n, values in enumerate(TRICKY):
        ActivityFactory(subject=subject, date=dt.date(2026, 1, 1) + dt.timedelta(days=n), **values)
    copy = SubjectFactory(workspace=subject.workspace)
    editor_client.post(reverse("activity_import", args=[copy.pk]), {"file": upload(export(editor_client, subject))})

    def values(s):
        return sorted(tuple(row[2:-1]) for row in activity_rows(s))

    assert values(copy) == values(subject)


def test_the_template_has_the_header_and_one_example_per_kind_and_imports_as_it_is(editor_client, subject):
    response = editor_client.get(reverse("activity_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="activities-template.csv"'
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ",".join(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == list(ActivityKind.values)
    checked = activity_csv.check_file(response.content, today=TODAY)
    assert checked.errors == []
    editor_client.post(reverse("activity_import", args=[subject.pk]), {"file": upload(response.content)})
    assert sorted(subject.activities.values_list("kind", flat=True)) == sorted(ActivityKind.values)


def test_the_template_link_is_on_the_import_page(editor_client, subject):
    html = editor_client.get(reverse("activity_import", args=[subject.pk])).content.decode()
    assert reverse("activity_template") in html
    assert "kind,title,date,end_date,audience,venue,url,notes" in html
