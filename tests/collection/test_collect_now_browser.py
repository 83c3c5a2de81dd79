""""Collect now" live, with a real worker: the account row says collecting… and the page says Updating…,
then the new numbers' score, breakdown and badge show in place once the collection and its rescore land."""

import datetime as dt

import pytest
from django.urls import reverse

from influence.scoring import snapshots
from tests.collection.conftest import api_environment
from tests.factories import AccountFactory, ObservationFactory
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.mark.parametrize("width", [1280, 390])
def test_collect_now_shows_collecting_then_the_new_score_without_a_reload(
    celery_worker_factory, api, live_server, browser, settings, owner, subject, width
):
    settings.WHITENOISE_USE_FINDERS = True
    # The network answers after a moment, so the page is seen while the collection is on its way.
    api.route("GET", "/users/octocat", delay=2, json={"login": "octocat", "followers": 5000, "public_repos": 0})
    api.route("GET", "/users/octocat/repos", json=[])
    account = AccountFactory(subject=subject, network="github", handle="octocat")
    ObservationFactory(account=account, metric="followers", day=snapshots.today() - dt.timedelta(days=3), value=20)
    snapshots.recompute_history(subject.pk)
    celery_worker_factory(concurrency=1, **{**api_environment(api), "COLLECT_HTTP_TIMEOUT": "10"})

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = record_errors(page)
    log_in(page, live_server.url, owner.email)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk]))
    before = page.inner_text("#score-headline .total")

    page.click(f"#account-{account.pk} button:has-text('Collect now')")
    page.wait_for_selector("#live-status[data-state='updating']")
    page.evaluate("window.liveMark = 'kept'")
    assert page.inner_text(f"#account-{account.pk} .badge") == "collecting…"
    assert page.inner_text("#live-status") == "Updating…"

    page.wait_for_selector("#live-status[data-state='updated']", timeout=30_000)
    assert page.evaluate("() => window.liveMark === 'kept'"), "the page navigated instead of refreshing in place"
    assert page.inner_text(f"#account-{account.pk} .badge") == "OK"
    after = page.inner_text("#score-headline .total")
    assert after != before
    assert after == str(round(subject.snapshots.order_by("-day").first().total))
    assert errors == []
    context.close()
