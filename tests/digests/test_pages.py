"""The preferences page and the one-click unsubscribe link."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client

from influence.core.models import User
from influence.digests import tokens

pytestmark = pytest.mark.django_db

URL = "/settings/email/"


def test_a_user_saves_their_weekly_email_preferences(owner_client, owner):
    response = owner_client.post(
        URL, {"digest_enabled": "on", "digest_weekday": "4", "digest_hour": "17", "time_zone": "Europe/Berlin"}
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.digest_enabled, owner.digest_weekday, owner.digest_hour, owner.time_zone) == (
        True, 4, 17, "Europe/Berlin",
    )
    assert "settings are saved" in owner_client.get(URL).text


def test_turning_the_summary_off_is_a_preference_like_any_other(viewer_client, viewer):
    viewer_client.post(URL, {"digest_weekday": "0", "digest_hour": "8", "time_zone": "UTC"})

    viewer.refresh_from_db()
    assert viewer.digest_enabled is False
    assert "The weekly summary is off." in viewer_client.get(URL).text


def test_an_unknown_time_zone_is_refused_with_a_message_and_nothing_changes(owner_client, owner):
    response = owner_client.post(
        URL, {"digest_enabled": "on", "digest_weekday": "2", "digest_hour": "9", "time_zone": "Mars/Olympus_Mons"}
    )

    assert response.status_code == 200
    assert "is not a known time zone" in response.text
    owner.refresh_from_db()
    assert (owner.time_zone, owner.digest_weekday) == ("UTC", 0)


def test_an_hour_outside_the_day_is_refused(owner_client, owner):
    response = owner_client.post(URL, {"digest_enabled": "on", "digest_weekday": "0", "digest_hour": "24",
                                       "time_zone": "UTC"})

    assert response.status_code == 200 and "Select a valid choice" in response.text
    owner.refresh_from_db()
    assert owner.digest_hour == 8


@time_machine.travel(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_page_says_when_the_next_summary_goes_out_in_the_users_zone(owner_client, owner):
    User.objects.filter(pk=owner.pk).update(time_zone="America/Los_Angeles", digest_weekday=2, digest_hour=7)

    response = owner_client.get(URL)

    assert "Wednesday 2 December 2026, 07:00" in response.text
    assert "America/Los_Angeles" in response.text


def test_the_preferences_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


# --- unsubscribe ---------------------------------------------------------------------------------


def unsubscribe_url(user):
    return f"/unsubscribe/{tokens.unsubscribe_token(user)}/"


def test_the_unsubscribe_link_asks_for_confirmation_without_a_login(owner):
    response = Client().get(unsubscribe_url(owner))

    assert response.status_code == 200
    assert "owner@example.com" in response.text and "<form method=\"post\">" in response.text
    owner.refresh_from_db()
    assert owner.digest_enabled is True


def test_one_click_unsubscribe_works_once_without_login_or_csrf_token(owner, outsider):
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(unsubscribe_url(owner), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "will not receive the weekly summary" in response.text
    again = mail_client.post(unsubscribe_url(owner), {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and "already unsubscribed" in again.text

    owner.refresh_from_db()
    outsider.refresh_from_db()
    assert (owner.digest_enabled, outsider.digest_enabled) == (False, True)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature changed
        lambda token: signing.dumps({"u": 1}, salt="another.purpose"),  # signed for something else
        lambda token: "not-a-token",
    ],
    ids=["altered", "other-salt", "garbage"],
)
def test_a_tampered_or_foreign_token_gets_a_clear_error_and_changes_nothing(owner, tamper):
    url = f"/unsubscribe/{tamper(tokens.unsubscribe_token(owner))}/"

    for response in (Client().get(url), Client(enforce_csrf_checks=True).post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.text
    owner.refresh_from_db()
    assert owner.digest_enabled is True


def test_a_token_for_another_user_id_cannot_be_forged_from_a_real_one(owner, outsider):
    token = tokens.unsubscribe_token(owner)
    payload, rest = token.split(":", 1)
    forged = signing.b64_encode(f'{{"u":{outsider.pk}}}'.encode()).decode() + ":" + rest

    response = Client().post(f"/unsubscribe/{forged}/")

    assert response.status_code == 400
    outsider.refresh_from_db()
    assert outsider.digest_enabled is True
