"""Every CSV the product writes escapes text a spreadsheet would run as a formula, the same way.

A cell starting with = + - @, a tab or a carriage return gets one leading
apostrophe (influence/core/csvsafe.py); numbers and dates are written as they
are. The "your data" archive is checked in tests/workspaces/test_my_data.py.
"""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from influence.core.csvsafe import csv_cell, escape_formula, unescape_formula
from influence.scoring.snapshots import compute_snapshot
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, SubjectFactory

STARTS = ("=", "+", "-", "@", "\t", "\r")


def _owner(world) -> Client:
    client = Client()
    client.force_login(world.users["owner"])
    return client


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("start", STARTS)
def test_the_escape_adds_one_apostrophe_and_the_import_takes_it_off(start):
    text = f"{start}SUM(A1:A9)"
    assert escape_formula(text) == "'" + text
    assert escape_formula("'" + text) == "''" + text
    assert unescape_formula(escape_formula(text)) == text
    assert unescape_formula(escape_formula("'" + text)) == "'" + text


def test_plain_text_numbers_and_dates_are_written_as_they_are():
    assert escape_formula("Jane Doe") == "Jane Doe"
    assert escape_formula("'quoted") == "'quoted"
    assert [csv_cell(v) for v in (-3, 2.5, None, "2026-01-01")] == [-3, 2.5, None, "2026-01-01"]


def test_activities_export_escapes_every_leading_formula_character(world):
    for n, start in enumerate(STARTS):
        ActivityFactory(subject=world.subject, title=f"{start}title {n}", venue=f"{start}venue", notes=f"{start}n",
                        date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
    client = _owner(world)
    rows = _rows(client.get(reverse("activity_export", kwargs={"pk": world.subject.pk})))
    header, body = rows[0], rows[1:]
    titles = {row[header.index("title")]: row for row in body}
    for n, start in enumerate(STARTS):
        row = titles[f"'{start}title {n}"]
        assert row[header.index("venue")] == f"'{start}venue"
        assert row[header.index("notes")] == f"'{start}n"


def test_metrics_csv_escapes_an_account_label_that_looks_like_a_formula(world):
    for n, start in enumerate(STARTS):
        account = AccountFactory(subject=world.subject, network="manual", handle=f"x{n}", label=f"{start}label")
        ObservationFactory(account=account, metric="followers", value=-5)
    client = _owner(world)
    rows = _rows(client.get(reverse("subject_metrics_csv", kwargs={"pk": world.subject.pk}), {"range": "all"}))
    assert rows[0][:4] == ["day", "metric", "account", "value"]
    labels = {row[2] for row in rows[1:]}
    assert {f"'{start}label: x{n}" for n, start in enumerate(STARTS)} <= labels
    # A negative count is a number, not a formula.
    assert "-5" in {row[3] for row in rows[1:]}


def test_compare_csv_escapes_a_subject_name_that_looks_like_a_formula(world):
    subjects = []
    for start in STARTS:
        subject = SubjectFactory(workspace=world.workspace, name=f"{start}name")
        ActivityFactory(subject=subject, date=timezone.now().date() - dt.timedelta(days=3))
        compute_snapshot(subject.pk)
        subjects.append(subject)
    client = _owner(world)
    response = client.get(reverse("compare_csv"), {"subjects": ",".join(str(s.pk) for s in subjects)})
    rows = _rows(response)
    assert rows[0] == ["day", "subject", "total", "share_of_voice"]
    assert {row[1] for row in rows[1:]} == {f"'{start}name" for start in STARTS}
