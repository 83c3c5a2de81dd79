"""The API's docs page and a shared report in a real browser, under the site's strict Content-Security-Policy."""

import datetime as dt

import pytest
from django.utils import timezone

from influence.scoring.snapshots import compute_snapshot
from influence.sharing import links
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory
from tests.support.browser import record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_render_every_operation_from_our_static_files_without_csp_errors(live_server, browser, settings):
    settings.WHITENOISE_USE_FINDERS = True
    page = browser.new_page()
    errors = record_errors(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/subjects/{id}/activities/bulk/" in text.replace("\u200b", "") for text in paths)
    assert page.locator(".auth-wrapper .authorize").count() == 1  # the "Authorize" button for a token
    assert errors == []
    assert all(url.startswith(live_server.url) for url in requested), [u for u in requested if live_server.url not in u]
    page.close()


def test_the_shared_report_draws_its_chart_without_errors(live_server, browser, settings, subject, owner):
    settings.WHITENOISE_USE_FINDERS = True
    today = timezone.now().date()
    account = AccountFactory(subject=subject)
    for days_ago in (3, 2, 1, 0):
        ObservationFactory(account=account, day=today - dt.timedelta(days=days_ago), value=1000 + days_ago)
        compute_snapshot(subject.pk, today - dt.timedelta(days=days_ago))
    ActivityFactory(subject=subject, title="Keynote at PyCon", date=today - dt.timedelta(days=2))
    link = links.create_link(subject, owner)
    page = browser.new_page()
    errors = record_errors(page)
    page.goto(f"{live_server.url}{links.link_path(link)}")
    page.locator("#report-table tbody tr").nth(3).wait_for(state="attached")
    assert page.locator("#report-table tbody tr").count() == 4
    assert page.locator("h1").inner_text() == "Jane Doe"
    # The chart's sentence, beside its data table: the score's and each sub-score's first and last value.
    said = page.locator("#report-summary").inner_text()
    assert said.startswith("The score and its sub-scores from ") and "Score went from" in said, said
    assert "Online went from" in said and "Offline went from" in said
    page.emulate_media(media="print")
    assert not page.locator("#print-report").is_visible()
    assert errors == []
    page.close()
