"""The sign-up page in a real browser: the time zone comes preselected from the browser's."""

import pytest

from influence.core.models import User
from tests.support.browser import record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_preselects_the_browsers_time_zone_and_creates_the_account(live_server, browser, settings):
    settings.WHITENOISE_USE_FINDERS = True
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    errors = record_errors(page)
    page.goto(f"{live_server.url}/auth/signup/")

    assert page.locator("#id_time_zone").input_value() == "Asia/Tokyo"
    assert page.locator("#id_digest_enabled").is_checked()

    page.fill("#id_email", "tokyo@example.com")
    page.fill("#id_password1", "tall-lighthouse-orbit-57")
    page.fill("#id_password2", "tall-lighthouse-orbit-57")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    assert User.objects.get(email="tokyo@example.com").time_zone == "Asia/Tokyo"
    assert errors == []
    context.close()


def test_a_re_rendered_sign_up_keeps_the_zone_that_was_chosen(live_server, browser, settings):
    settings.WHITENOISE_USE_FINDERS = True
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live_server.url}/auth/signup/")
    page.fill("#id_time_zone", "America/Chicago")
    page.fill("#id_email", "chicago@example.com")
    page.fill("#id_password1", "tall-lighthouse-orbit-57")
    page.fill("#id_password2", "something-else-entirely-1")
    page.click("button[type=submit]")
    page.wait_for_selector("text=You must type the same password each time.")

    assert page.locator("#id_time_zone").input_value() == "America/Chicago"
    assert not User.objects.filter(email="chicago@example.com").exists()
    context.close()
