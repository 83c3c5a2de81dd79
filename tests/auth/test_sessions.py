"""The user's sessions on /settings/: listed with device and last seen, "log out everywhere
else", and the other sessions ended by a password change or by turning two factors off."""

import datetime as dt

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from dashboard.templatetags.session_tags import device
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


def logged_in(user, user_agent: str, address: str = "127.0.0.1") -> Client:
    """A browser that logged in through the log-in page."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("user_settings")).status_code == 200


def test_the_settings_page_lists_the_sessions_with_device_and_last_seen(jane):
    laptop = logged_in(jane, FIREFOX_WINDOWS, "198.51.100.7")
    logged_in(jane, SAFARI_IPHONE, "203.0.113.9")
    page = laptop.get(reverse("user_settings")).content.decode()
    sessions = page.split('id="sessions-heading"')[1]
    assert "Firefox on Windows" in sessions and "Safari on iPhone" in sessions
    assert "198.51.100.7" in sessions and "203.0.113.9" in sessions
    assert "this one" in sessions
    assert "Log out everywhere else" in sessions
    assert UserSession.objects.filter(user=jane).count() == 2


def test_log_out_everywhere_else_ends_the_other_sessions_only(jane):
    laptop = logged_in(jane, FIREFOX_WINDOWS)
    phone = logged_in(jane, SAFARI_IPHONE)
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert UserSession.objects.filter(user=jane).count() == 1


def test_a_password_change_ends_the_other_sessions(jane):
    laptop = logged_in(jane, FIREFOX_WINDOWS)
    phone = logged_in(jane, SAFARI_IPHONE)
    new = "a-new-long-passphrase-42"
    response = laptop.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert UserSession.objects.filter(user=jane).count() == 1


def test_turning_two_factors_off_ends_the_other_sessions(jane):
    with time_machine.travel(START, tick=True):
        laptop = logged_in(jane, FIREFOX_WINDOWS)
        laptop.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        secret = laptop.get(reverse("mfa_activate_totp")).context["form"].secret
        laptop.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
        assert Authenticator.objects.filter(user=jane, type=Authenticator.Type.TOTP).exists()
    with time_machine.travel(START + dt.timedelta(seconds=60), tick=True):
        phone = Client(HTTP_USER_AGENT=SAFARI_IPHONE)
        phone.post(reverse("account_login"), {"login": jane.email, "password": PASSWORD})
        phone.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
        assert is_logged_in(phone)
        # Setting two factors up ends nothing.
        assert is_logged_in(laptop)
        response = laptop.post(reverse("mfa_deactivate_totp"), {"password_or_code": PASSWORD})
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=jane).exists()
        assert is_logged_in(laptop)
        assert not is_logged_in(phone)


def test_the_device_is_named_from_the_user_agent():
    assert device(FIREFOX_WINDOWS) == "Firefox on Windows"
    assert device(SAFARI_IPHONE) == "Safari on iPhone"
    chrome_android = (
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
    )
    assert device(chrome_android) == "Chrome on Android"
    edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0"
    assert device(edge) == "Edge on Windows"
    assert device("") == "Unknown browser"


def test_last_seen_is_the_sessions_latest_request(jane):
    with time_machine.travel(START, tick=False):
        laptop = logged_in(jane, FIREFOX_WINDOWS)
        phone = logged_in(jane, SAFARI_IPHONE)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        phone.get(reverse("home"))
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        page = laptop.get(reverse("user_settings")).content.decode()
    rows = page.split('id="sessions-heading"')[1].split("<tr>")[2:]
    phone_row = next(row for row in rows if "Safari on iPhone" in row)
    laptop_row = next(row for row in rows if "Firefox on Windows" in row)
    assert "2026-03-02 11:00 UTC" in phone_row  # seen two hours after logging in
    assert "Now" in laptop_row  # this very request
