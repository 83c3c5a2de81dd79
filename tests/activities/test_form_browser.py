"""The activity form in a real browser: labels and help follow the kind, under the strict CSP."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.support.browser import record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_changing_the_kind_changes_labels_help_and_the_end_date_without_a_reload(
    live_server, browser, settings, client, editor, subject
):
    settings.WHITENOISE_USE_FINDERS = True
    client.force_login(editor)
    context = browser.new_context()
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    errors = record_errors(page)
    page.goto(f"{live_server.url}{reverse('activity_create', args=[subject.pk])}?kind=talk")

    assert page.locator('[data-field="venue"] label').inner_text() == "Event"
    assert not page.locator("#id_end_date").is_visible()
    page.select_option("#id_kind", "teaching")
    assert page.locator('[data-field="date"] label').inner_text() == "Start date"
    assert page.locator('[data-field="venue"] label').inner_text() == "School or organiser"
    assert page.locator("#id_end_date").is_visible()
    assert "in full while it runs" in page.locator("#id_kind_helptext").inner_text()

    page.fill("#id_title", "Evening class")
    page.fill("#id_date", "2026-01-10")
    page.fill("#id_audience", "30")
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('subject_detail', args=[subject.pk])}#activities")
    assert subject.activities.get().kind == "teaching"
    assert errors == []
    context.close()
