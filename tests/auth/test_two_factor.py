"""Two-factor authentication through the real pages: set up with an authenticator app's code
(computed here with pyotp, as a phone would), log-in asking for a code, recovery codes, removal
asking for the password or a code, and the limit on codes tried."""

import datetime as dt

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def confirm_with_password(client: Client, next_url: str) -> None:
    """allauth's confirmation before a change to the account (its "reauthentication")."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url


def set_up_totp(client: Client) -> str:
    """Turn two factors on from the settings page's link, as a person would; returns the app's secret."""
    settings_page = client.get(reverse("user_settings")).content.decode()
    assert reverse("mfa_activate_totp") in settings_page
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302  # first: "confirm it is you"
    assert page.url.startswith(reverse("account_reauthenticate"))
    confirm_with_password(client, reverse("mfa_activate_totp"))
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # the key, for typing it in instead of scanning
    assert "<svg" in page.content.decode()  # the QR code
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    return secret


def recovery_codes(client: Client) -> list[str]:
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    return list(page.context["unused_codes"])


def later(seconds: int):
    """A code works once: the next one is the authenticator app's next (30 s later)."""
    return time_machine.travel(START + dt.timedelta(seconds=seconds), tick=True)


def test_setting_up_two_factors_with_an_app_code_then_log_in_asks_for_a_code(client, jane):
    with later(0):
        log_in(client, jane.email)
        secret = set_up_totp(client)
        assert Authenticator.objects.filter(user=jane, type=Authenticator.Type.TOTP).exists()
        codes = recovery_codes(client)
        assert len(codes) == 10
        settings_page = client.get(reverse("user_settings")).content.decode()
        assert "Turn two-factor authentication off" in settings_page
        client.post(reverse("account_logout"))

    with later(60):
        response = log_in(client, jane.email)
        assert response.status_code == 302
        assert response.url == reverse("mfa_authenticate")
        # Not logged in yet: the password alone opens nothing.
        assert client.get(reverse("home")).status_code == 302
        assert "_auth_user_id" not in client.session

        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "_auth_user_id" not in client.session

        right = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
        assert right.status_code == 302
        assert right.url == reverse("home")
        assert client.get(reverse("home")).status_code == 200


def test_a_code_works_once_and_a_recovery_code_logs_in_once(client, jane):
    with later(0):
        log_in(client, jane.email)
        secret = set_up_totp(client)
        code = recovery_codes(client)[0]
        client.post(reverse("account_logout"))

    with later(60):
        log_in(client, jane.email)
        app_code = pyotp.TOTP(secret).now()
        assert client.post(reverse("mfa_authenticate"), {"code": app_code}).status_code == 302
        client.post(reverse("account_logout"))
        log_in(client, jane.email)
        # The same app code again, within its 30 seconds: refused (someone looking over a shoulder).
        assert client.post(reverse("mfa_authenticate"), {"code": app_code}).status_code == 200
        assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
        client.post(reverse("account_logout"))
        log_in(client, jane.email)
        assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
        assert "_auth_user_id" not in client.session


def test_codes_tried_are_limited_per_user(client, jane):
    with later(0):
        log_in(client, jane.email)
        secret = set_up_totp(client)
        client.post(reverse("account_logout"))
    with later(60):
        log_in(client, jane.email)
        for _ in range(10):
            assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
        refused = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
        assert refused.status_code == 200
        assert "Too many codes tried" in refused.content.decode()
        assert "_auth_user_id" not in client.session


def test_turning_two_factors_off_asks_for_the_password_or_a_code(client, jane):
    with later(0):
        log_in(client, jane.email)
        secret = set_up_totp(client)

    # Three minutes after confirming it was her: allauth would not ask again, this form does.
    with later(180):
        page = client.get(reverse("mfa_deactivate_totp"))
        assert page.status_code == 200
        assert 'name="password_or_code"' in page.content.decode()
        assert "This field is required" not in page.content.decode()  # nothing typed yet, no error

        nothing = client.post(reverse("mfa_deactivate_totp"), {})
        wrong = client.post(reverse("mfa_deactivate_totp"), {"password_or_code": "not-her-password"})
        for response in (nothing, wrong):
            assert response.status_code == 200
            assert Authenticator.objects.filter(user=jane, type=Authenticator.Type.TOTP).exists()
        assert "neither your password nor a current code" in wrong.content.decode()

        done = client.post(reverse("mfa_deactivate_totp"), {"password_or_code": pyotp.TOTP(secret).now()})
        assert done.status_code == 302
        assert not Authenticator.objects.filter(user=jane).exists()  # recovery codes go with it
        client.post(reverse("account_logout"))
        response = log_in(client, jane.email)
        assert response.url == reverse("home")  # the password alone again


def test_turning_two_factors_off_long_after_confirming_asks_first_then_once(client, jane):
    with later(0):
        log_in(client, jane.email)
        secret = set_up_totp(client)

    with later(600):
        page = client.get(reverse("mfa_deactivate_totp"))
        assert page.status_code == 302
        assert page.url.startswith(reverse("account_reauthenticate"))
        # Confirmed with a code this time (the page offers the code or the password).
        confirmed = client.post(
            reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(secret).now(), "next": reverse("mfa_deactivate_totp")}
        )
        assert confirmed.status_code == 302
        page = client.get(reverse("mfa_deactivate_totp"))
        assert 'name="password_or_code"' not in page.content.decode()  # just typed: not asked twice
        assert client.post(reverse("mfa_deactivate_totp"), {}).status_code == 302
        assert not Authenticator.objects.filter(user=jane).exists()


def test_turning_two_factors_off_with_the_password(client, jane):
    with later(0):
        log_in(client, jane.email)
        set_up_totp(client)
    with later(200):
        assert client.post(reverse("mfa_deactivate_totp"), {"password_or_code": PASSWORD}).status_code == 302
        assert not Authenticator.objects.filter(user=jane).exists()
        assert "Set up two-factor authentication" in client.get(reverse("user_settings")).content.decode()


def test_two_factor_pages_need_a_login(client):
    for name in ("mfa_activate_totp", "mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_index"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
