"""Live after a change, in headless Chromium at desktop and phone width: the page says "Updating…" and,
once the recompute the change asked for has run (here in the test's thread while the page polls), shows
the new score, breakdown and charts without navigating; a change that never lands ends in "reload later";
the parameters page follows its recompute to "Recomputed"."""

import datetime as dt

import pytest
from django.urls import reverse

from influence.core.models import PendingWork
from influence.scoring import snapshots
from influence.scoring.queue import queue_subject_recompute
from influence.scoring.tasks import run_pending_work
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]
# Set on the window once the page is shown: a navigation or a reload would lose it.
MARK = "window.liveMark = 'kept'"
KEPT = "() => window.liveMark === 'kept' && performance.getEntriesByType('navigation').length === 1"


@pytest.fixture(autouse=True)
def static_files(settings):
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def scored_subject(subject):
    """A subject scored from one GitHub account's followers, with no work pending."""
    account = AccountFactory(subject=subject, network="github")
    ObservationFactory(account=account, metric="followers", day=snapshots.today() - dt.timedelta(days=5), value=500)
    snapshots.recompute_history(subject.pk)
    return subject


@pytest.fixture
def owner_page(browser, request, live_server, owner):
    """A fresh page at the given width, the owner logged in, recording console and CSP errors."""

    def open_page(width):
        context = browser.new_context(viewport={"width": width, "height": 900})
        request.addfinalizer(context.close)
        page = context.new_page()
        page.errors = record_errors(page)
        log_in(page, live_server.url, owner.email)
        return page

    return open_page


def assert_in_place_and_clean(page):
    """Still the page that was loaded, nothing scrolls sideways, no console or CSP error."""
    assert page.evaluate(KEPT), "the page navigated instead of refreshing in place"
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    assert page.errors == []


def headline(page) -> str:
    return page.inner_text("#score-headline .total").strip()


def add_talk_through_the_form(page, live_server, subject):
    page.goto(live_server.url + reverse("activity_create", args=[subject.pk]))
    page.select_option("#id_kind", "keynote")
    page.fill("#id_title", "DataConf keynote")
    page.fill("#id_date", (snapshots.today() - dt.timedelta(days=2)).isoformat())
    page.fill("#id_audience", "900")
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(f"**{reverse('subject_detail', args=[subject.pk])}*")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_added_activity_updates_the_score_in_place_once_its_recompute_lands(
    live_server, owner_page, scored_subject, width
):
    page = owner_page(width)
    page.goto(live_server.url + reverse("subject_detail", args=[scored_subject.pk]))
    page.wait_for_selector("body[data-charts-ready]")
    before = headline(page)
    # Nothing in flight: the page does not poll.
    assert page.inner_text("#live-status") == ""

    add_talk_through_the_form(page, live_server, scored_subject)
    page.wait_for_selector("body[data-charts-ready]")
    page.evaluate(MARK)
    page.wait_for_selector("body[data-insights-ready='yes']")
    page.evaluate("document.body.dataset.insightsReady = 'old'")
    status = page.locator("#live-status")
    assert status.inner_text() == "Updating…" and status.is_visible()
    assert headline(page) == before
    assert "Keynote" not in page.inner_text("#score-card")
    # The keyboard is somewhere on the page (a panel's link): the refresh must not move it.
    page.focus("#activities a[href$='/export/'], #activities a")
    focused = page.evaluate("() => document.activeElement.outerHTML")

    # The worker's part, run here while the page polls.
    run_pending_work(PendingWork.objects.get(subject=scored_subject).pk)

    page.wait_for_selector("#live-status[data-state='updated']", timeout=20_000)
    assert page.inner_text("#live-status") == "Updated."
    assert headline(page) != before
    assert headline(page) == str(round(scored_subject.snapshots.order_by("-day").first().total))
    # The breakdown and the activities panel are the new ones, the trend chart was redrawn with them.
    assert "Keynote" in page.inner_text("#score-card")
    assert "DataConf keynote" in page.inner_text("#activities")
    # The insight panels were read again (they follow the activities).
    assert page.evaluate("() => document.body.dataset.insightsReady") == "yes"
    totals = page.evaluate("() => Chart.getChart(document.querySelector('#trend-chart')).data.datasets[0].data"
                           ".map((p) => p.y)")
    assert totals[-1] == pytest.approx(scored_subject.snapshots.order_by("-day").first().total, abs=0.01)
    assert page.evaluate("() => document.activeElement.outerHTML") == focused
    assert_in_place_and_clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_change_that_never_lands_ends_in_reload_later(live_server, owner_page, scored_subject, width):
    page = owner_page(width)
    add_talk_through_the_form(page, live_server, scored_subject)
    page.evaluate(MARK)
    # A short cap for the test (a minute on the page).
    page.evaluate("document.getElementById('live-status').dataset.capSeconds = '3'")
    assert page.inner_text("#live-status") == "Updating…"
    page.wait_for_selector("#live-status[data-state='timeout']", timeout=15_000)
    assert page.inner_text("#live-status") == "Still working — reload later."
    assert PendingWork.objects.filter(subject=scored_subject).exists()
    assert_in_place_and_clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_change_made_while_the_page_refreshes_is_followed_to_its_end_too(
    live_server, owner_page, scored_subject, width, monkeypatch
):
    # The browser's callback below writes to the database from the browser driver's event loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = owner_page(width)
    add_talk_through_the_form(page, live_server, scored_subject)
    page.wait_for_selector("body[data-charts-ready]")
    page.evaluate(MARK)
    detail = live_server.url + reverse("subject_detail", args=[scored_subject.pk])
    second = []

    def another_change_meanwhile(route):
        """A teammate adds a book just as the page fetches itself again after the first change."""
        if not second:
            book = ActivityFactory(subject=scored_subject, kind="book", title="Second book")
            second.append(queue_subject_recompute(scored_subject.pk, book.date))
        route.continue_()

    # The page itself only (with its range query), not its status, series or insights under it.
    page.route(lambda url: url.split("?")[0] == detail, another_change_meanwhile)
    run_pending_work(PendingWork.objects.get(subject=scored_subject).pk)
    # The first change is shown, and the page goes on following the second.
    assert "Keynote" not in page.inner_text("#score-card")
    page.wait_for_function("() => document.querySelector('#score-card').innerText.includes('Keynote')")
    assert page.inner_text("#live-status") == "Updating…"
    assert "Book" not in page.inner_text("#score-card")

    run_pending_work(second[0].pk)
    page.wait_for_selector("#live-status[data-state='updated']", timeout=20_000)
    assert "Book" in page.inner_text("#score-card")
    assert headline(page) == str(round(scored_subject.snapshots.order_by("-day").first().total))
    assert_in_place_and_clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_subject_without_a_score_gets_its_first_one(live_server, owner_page, subject, width):
    """The one case of a full reload: a page that had no score has no charts to redraw."""
    page = owner_page(width)
    add_talk_through_the_form(page, live_server, subject)
    assert page.is_visible("#no-score")
    assert page.inner_text("#live-status") == "Updating…"
    run_pending_work(PendingWork.objects.get(subject=subject).pk)
    page.wait_for_selector("#score-card", timeout=20_000)
    page.wait_for_selector("body[data-charts-ready]")
    assert headline(page) == str(round(subject.snapshots.order_by("-day").first().total))
    assert page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_parameters_page_follows_its_recompute_to_recomputed(
    live_server, owner_page, workspace, scored_subject, width
):
    page = owner_page(width)
    page.goto(live_server.url + reverse("workspace_scoring", args=[workspace.pk]))
    page.fill("#id_k", "30")
    page.click("text=Save and recompute the history")
    page.wait_for_url(f"**{reverse('workspace_scoring', args=[workspace.pk])}")
    page.evaluate(MARK)
    assert page.inner_text("#recompute-live") == "Recomputing the history…"

    run_pending_work(PendingWork.objects.get(kind=PendingWork.Kind.WORKSPACE).pk)

    page.wait_for_selector("#recompute-live[data-state='done']", timeout=20_000)
    assert page.inner_text("#recompute-live") == "Recomputed."
    assert page.inner_text("#recompute-status").startswith("Done: version ")
    assert_in_place_and_clean(page)
