"""Two-factor authentication in a real browser: set up from the settings page with the code an
authenticator app would show (computed with pyotp from the key the page shows), then a log-in
that asks for a code."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_an_authenticator_app_then_log_in_with_its_code(live_server, browser, settings):
    settings.WHITENOISE_USE_FINDERS = True
    jane = UserFactory(email="jane@example.com")
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    errors = record_errors(page)

    log_in(page, base, jane.email)
    page.goto(base + reverse("user_settings"))
    page.click("text=Set up two-factor authentication")
    # First, confirm it is her.
    page.wait_for_url(f"{base}{reverse('account_reauthenticate')}*")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + reverse("mfa_activate_totp"))

    assert page.locator(".totp-qr svg").is_visible()
    secret = page.locator("#authenticator-secret").input_value()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_url(base + reverse("mfa_view_recovery_codes"))
    codes = page.locator("#recovery-codes").input_value().split()
    assert len(codes) == 10
    assert Authenticator.objects.filter(user=jane, type=Authenticator.Type.TOTP).exists()

    page.click("header button:has-text('Log out')")
    page.wait_for_url(f"{base}{reverse('account_login')}*")

    # The password, then the code.
    log_in(page, base, jane.email, expect_url=base + reverse("mfa_authenticate"))
    page.fill("input[name=code]", "000000")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error, .errors")
    assert page.url == base + reverse("mfa_authenticate")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_url(base + reverse("home"))
    page.goto(base + reverse("user_settings"))
    assert page.locator("#two-factor-heading").is_visible()
    assert page.locator("text=Turn two-factor authentication off").is_visible()

    assert errors == []
    context.close()
