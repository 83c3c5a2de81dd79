"""The score parameters page in a real browser: progress follows the recompute, errors show by the field."""

import pytest
from django.urls import reverse

from influence.core.models.scores import ScoreRecompute
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_follows_the_recompute_and_shows_bad_values_next_to_their_field(
    live_server, browser, settings, owner, workspace
):
    settings.WHITENOISE_USE_FINDERS = True
    run = ScoreRecompute.objects.create(
        workspace=workspace, model_version="v1-abcdef0", state="running", subjects_total=2, subjects_done=1,
        days_total=200, days_done=50,
    )
    page = browser.new_page()
    errors = record_errors(page)
    log_in(page, live_server.url, owner.email)

    page.goto(live_server.url + reverse("workspace_scoring", args=[workspace.pk]))
    assert "1 of 2 subjects, 25%" in page.inner_text("#recompute-status")
    ScoreRecompute.objects.filter(pk=run.pk).update(state="done", subjects_done=2, days_done=200)
    page.wait_for_selector('#recompute[data-state="done"]', state="attached", timeout=15_000)
    assert page.inner_text("#recompute-status").startswith("Done: version v1-abcdef0, 2 of 2 subjects, 100%.")
    assert page.get_attribute("#recompute-bar", "value") == "100"

    page.fill("#id_k", "0")
    page.click("text=Save and recompute the history")
    assert page.locator(".field.has-error").filter(has=page.locator("#id_k")).inner_text().endswith(
        "Saturation K must be between 1 and 10,000."
    )
    # Content-Security-Policy violations show up as console errors; the form's 400 is expected.
    assert [e for e in errors if "status of 400" not in e] == []
    page.close()
