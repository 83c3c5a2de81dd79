"""Every rule of an activity's values, once in the domain function and once through the form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from dashboard.forms.activities import ActivityForm
from influence.activities.csv import check_file
from influence.activities.rules import latest_allowed_date, validate_activity
from influence.scoring.parameters import Parameters
from tests.activities.conftest import TODAY

GOOD = {"kind": "talk", "title": "Scaling small teams", "date": "2026-03-01", "end_date": "", "audience": "120",
        "venue": "DevConf", "url": "https://example.org/talk", "notes": "Slides online"}


def errors_for(**changes) -> dict[str, list[str]]:
    return validate_activity({**GOOD, **changes}, today=TODAY).errors


def test_good_values_give_clean_typed_data():
    check = validate_activity({**GOOD, "title": "  Scaling small teams  "}, today=TODAY)
    assert check.errors == {}
    assert check.data.date == dt.date(2026, 3, 1)
    assert check.data.audience == 120
    assert check.data.title == "Scaling small teams"
    assert check.data.end_date is None


@pytest.mark.parametrize("value", ["01/03/2026", "2026-3-1", "1 March 2026", "20260301", "2026-03-01T10:00"])
def test_dates_not_in_iso_form_are_refused_with_the_expected_form(value):
    assert errors_for(date=value) == {"date": ["Enter the date as YYYY-MM-DD, for example 2026-03-01."]}


def test_a_day_missing_from_the_calendar_is_refused():
    assert errors_for(date="2026-02-30") == {"date": ["2026-02-30 is not a day of the calendar."]}


def test_a_missing_date_is_refused_and_ongoing_kinds_call_it_the_start_date():
    assert errors_for(date="") == {"date": ["Enter the date (YYYY-MM-DD)."]}
    assert errors_for(kind="teaching", date="") == {"date": ["Enter the start date (YYYY-MM-DD)."]}


def test_an_end_before_the_start_is_refused_and_the_same_day_is_fine():
    assert errors_for(kind="teaching", end_date="2026-02-28") == {
        "end_date": ["The end date cannot be before the start date (2026-03-01)."]
    }
    assert errors_for(kind="teaching", end_date="2026-03-01") == {}


def test_a_date_more_than_a_year_ahead_is_refused_but_exactly_a_year_is_fine():
    assert latest_allowed_date(TODAY) == dt.date(2027, 6, 30)
    assert errors_for(date="2027-06-30") == {}
    assert errors_for(date="2027-07-01") == {
        "date": ["The date is more than a year ahead: the latest allowed is 2027-06-30."]
    }
    assert errors_for(kind="board", end_date="2027-07-01") == {
        "end_date": ["The end date is more than a year ahead: the latest allowed is 2027-06-30."]
    }


def test_a_date_before_1900_is_refused_and_1900_01_01_is_fine():
    assert errors_for(date="1900-01-01") == {}
    assert errors_for(date="1899-12-31") == {"date": ["The date is before 1900-01-01, the earliest allowed."]}
    assert errors_for(date="0001-01-01") == {"date": ["The date is before 1900-01-01, the earliest allowed."]}
    assert errors_for(kind="teaching", date="0001-01-01") == {
        "date": ["The start date is before 1900-01-01, the earliest allowed."]
    }


def test_a_csv_row_dated_before_1900_is_refused_with_the_forms_message():
    text = "kind,title,date,end_date,audience,venue,url,notes\r\ntalk,Old talk,0001-01-01,,,,,\r\n"
    checked = check_file(text.encode(), today=TODAY)
    assert [(e.line, e.messages) for e in checked.errors] == [
        (2, ["date: The date is before 1900-01-01, the earliest allowed."])
    ]


def test_a_year_ahead_of_29_february_is_28_february():
    assert latest_allowed_date(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


@pytest.mark.parametrize(("value", "stored"), [("", 0), ("0", 0), ("100000000", 100_000_000), (" 42 ", 42)])
def test_audience_takes_whole_numbers_from_0_to_100_million_and_empty_means_0(value, stored):
    check = validate_activity({**GOOD, "audience": value}, today=TODAY)
    assert check.errors == {}
    assert check.data.audience == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("100000001", "The audience can be at most 100,000,000."),
        ("9" * 5000, "The audience can be at most 100,000,000."),
        ("-1", "The audience cannot be negative."),
        ("12.5", "Enter the audience as a whole number of people, like 250 (digits only)."),
        ("1,000", "Enter the audience as a whole number of people, like 250 (digits only)."),
        ("many", "Enter the audience as a whole number of people, like 250 (digits only)."),
    ],
)
def test_audience_outside_whole_numbers_0_to_100_million_is_refused(value, message):
    assert errors_for(audience=value) == {"audience": [message]}


@pytest.mark.parametrize("value", ["http://example.org", "https://example.org/a?b=c#d"])
def test_http_and_https_addresses_are_accepted(value):
    assert errors_for(url=value) == {}


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "ftp://example.org/file", "example.org", "data:text/html,<b>x</b>", "https://"]
)
def test_addresses_other_than_http_or_https_are_refused(value):
    assert errors_for(url=value) == {"url": ["Enter a full web address starting with http:// or https://."]}


def test_title_is_required_and_at_most_200_characters():
    assert errors_for(title="") == {"title": ["Enter a title."]}
    assert errors_for(title="   ") == {"title": ["Enter a title."]}
    assert errors_for(title="t" * 200) == {}
    assert errors_for(title="t" * 201) == {"title": ["Keep the title to 200 characters (it has 201)."]}


def test_notes_are_at_most_5000_characters():
    assert errors_for(notes="n" * 5000) == {}
    assert errors_for(notes="n" * 5001) == {"notes": ["Keep the notes to 5,000 characters (it has 5,001)."]}


def test_venue_is_at_most_200_characters_and_named_as_the_kind_calls_it():
    assert errors_for(kind="book", venue="v" * 201) == {"venue": ["Keep the publisher to 200 characters (it has 201)."]}


def test_an_unknown_kind_is_refused_with_the_list_of_kinds():
    errors = errors_for(kind="podcast")
    assert list(errors) == ["kind"]
    assert errors["kind"][0].startswith("Unknown kind 'podcast': use one of keynote, talk, workshop")


def test_a_nul_character_is_refused_instead_of_failing_in_the_database():
    assert errors_for(notes="a\x00b") == {"notes": ["This value contains a NUL character; remove it."]}


def test_every_wrong_field_is_reported_at_once():
    errors = errors_for(title="", date="tomorrow", audience="-3", url="ftp://x")
    assert sorted(errors) == ["audience", "date", "title", "url"]


def test_the_form_accepts_iso_dates_whatever_the_active_language(subject, frozen_today):
    for language in ("en-gb", "fr", "de"):
        with translation.override(language):
            form = ActivityForm({**GOOD}, subject=subject, params=Parameters())
            assert form.is_valid(), form.errors
            assert form.activity_data.date == dt.date(2026, 3, 1)


def _field_block(html: str, name: str) -> str:
    start = html.index(f'data-field="{name}"')
    return html[start:html.index("</div>", start)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "03/01/2026"}, "date", "Enter the date as YYYY-MM-DD, for example 2026-03-01."),
        ({"kind": "teaching", "end_date": "2026-01-01"}, "end_date",
         "The end date cannot be before the start date (2026-03-01)."),
        ({"date": "2028-01-01"}, "date", "The date is more than a year ahead: the latest allowed is 2027-06-30."),
        ({"date": "0001-01-01"}, "date", "The date is before 1900-01-01, the earliest allowed."),
        ({"audience": "100000001"}, "audience", "The audience can be at most 100,000,000."),
        ({"audience": "2.5"}, "audience", "Enter the audience as a whole number of people, like 250 (digits only)."),
        ({"url": "javascript:alert(1)"}, "url", "Enter a full web address starting with http:// or https://."),
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "t" * 201}, "title", "Keep the title to 200 characters (it has 201)."),
        ({"notes": "n" * 5001}, "notes", "Keep the notes to 5,000 characters (it has 5,001)."),
    ],
)
def test_the_form_shows_each_error_next_to_its_field_and_stores_nothing(
    editor_client, subject, frozen_today, changes, field, message
):
    response = editor_client.post(reverse("activity_create", args=[subject.pk]), {**GOOD, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    block = _field_block(html, field)
    assert 'class="field has-error"' in html[html.rindex("<div", 0, html.index(f'data-field="{field}"')):][:80]
    assert f'<p class="error">{message}</p>' in block
    assert subject.activities.count() == 0


def test_the_form_keeps_what_was_typed_when_it_re_renders(editor_client, subject, frozen_today):
    response = editor_client.post(
        reverse("activity_create", args=[subject.pk]), {**GOOD, "audience": "lots", "venue": "Kept venue"}
    )
    assert 'value="Kept venue"' in response.content.decode()


def test_the_form_refuses_a_second_activity_with_the_same_kind_title_and_date(editor_client, subject, frozen_today):
    url = reverse("activity_create", args=[subject.pk])
    editor_client.post(url, GOOD)
    response = editor_client.post(url, GOOD)
    assert response.status_code == 200
    assert "already has an activity of this kind with this title on this date" in response.content.decode()
    assert subject.activities.count() == 1
