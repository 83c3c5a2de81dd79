"""The demo's subject pages in headless Chromium: the insights panels, and the marks on the metric charts."""

import os

import pytest
from django.urls import reverse

from influence.core.models import AnomalyDismissal
from influence.demo import story
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser]

# Playwright's sync API runs an event loop in the test's thread; the test's own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.errors = []
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        yield page
        browser.close()


def chart_marks(page, metric):
    return page.evaluate(
        """(metric) => {
            const section = document.querySelector(`.metric-chart[data-metric="${metric}"]`);
            const chart = Chart.getChart(section.querySelector("canvas"));
            const annotations = chart.options.plugins.annotation.annotations;
            return {
                anomalies: Object.values(annotations).map((a) => a.label.content),
                datasets: chart.data.datasets.map((d) => ({label: d.label, dash: d.borderDash || null})),
                tables: Array.from(section.querySelectorAll(".insight-table")).map((t) => t.innerText),
            };
        }""",
        metric,
    )


def test_the_demo_pages_show_what_moved_the_numbers_and_mark_the_charts(transactional_db, live_server, page):
    seeded = story.seed()
    log_in(page, live_server.url, story.DEMO_EMAIL, story.DEMO_PASSWORD)

    page.click("text=Maya Chen")
    page.wait_for_selector("body[data-insights-ready='yes']")
    page.wait_for_selector("body[data-charts-ready]")
    effects = page.locator("#effects-panel .effects li")
    assert effects.count() == 5
    panel = page.locator("#effects-panel").inner_text()
    assert "What moved your online numbers" in panel
    assert "Reputation is a long game" in panel and "x the usual daily gain" in panel
    assert "Keynotes: median" in panel
    followers = chart_marks(page, "followers")
    projections = [d for d in followers["datasets"] if d["label"].startswith("Projection: ")]
    assert len(projections) >= 2 and all(d["dash"] for d in projections)
    assert "Projection (low–high)" in followers["tables"][1] and "Growth" in followers["tables"][0]

    page.goto(live_server.url + reverse("home"))
    page.click("text=Dr. Sam Okafor")
    page.wait_for_selector("body[data-insights-ready='yes']")
    page.wait_for_selector("body[data-charts-ready]")
    marks = chart_marks(page, "followers")
    assert any(label.startswith("GitHub: samokafor followers +") for label in marks["anomalies"])
    unusual = page.locator("#anomalies-panel .anomalies li")
    assert unusual.count() == 1 and "GitHub: samokafor followers +" in unusual.inner_text()

    # The owner dismisses it: it is gone from the list and from the chart.
    unusual.locator("button", has_text="Dismiss").click()
    page.wait_for_selector("body[data-insights-ready='yes']")
    page.wait_for_selector("body[data-charts-ready]")
    assert "Dismissed the unusual day" in page.locator("main").inner_text()
    assert page.locator("#anomalies-panel .anomalies li").count() == 0
    assert chart_marks(page, "followers")["anomalies"] == []
    assert AnomalyDismissal.objects.filter(account__subject__workspace=seeded.workspace).count() == 1
    assert page.errors == []
