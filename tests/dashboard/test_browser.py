"""The dashboard in headless Chromium on a live server: charts drawn, ranges, markers, no console errors."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse

from influence.scoring.snapshots import today
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", "var/test-output"))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every console error, page error and CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    yield page
    context.close()


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("account_login"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))


def chart_state(page, selector):
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const chart = Chart.getChart(canvas);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            const annotation = chart.options.plugins.annotation;
            let drawn = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
            return {
                drawn: drawn,
                min: chart.scales.x.min,
                max: chart.scales.x.max,
                annotations: Object.values(annotation ? annotation.annotations : {})
                    .map((a) => ({x: a.xMin, label: a.label.content})),
                datasets: chart.data.datasets.map((d) => d.label),
            };
        }""",
        selector,
    )


def days_between(state) -> float:
    return (state["max"] - state["min"]) / 86_400_000


def test_the_subject_page_draws_its_charts_switches_ranges_and_marks_activities(
    transactional_db, live_server, page, owner, five_years, subject
):
    log_in(page, live_server, owner)
    page.click(f"text={subject.name}")
    page.wait_for_selector("body[data-charts-ready='1y']")

    trend = chart_state(page, "#trend-chart")
    assert trend["drawn"] > 1000, "the trend chart's canvas is blank"
    assert "Online-only score (what an online-only measure would say)" in trend["datasets"]
    assert 364 <= days_between(trend) <= 366
    assert page.locator("#trend-table tbody tr").count() == 365

    # An activity of the last year is a marker on the time axis, titled.
    recent = [a for a in five_years["activities"] if a.date > today() - dt.timedelta(days=365)]
    assert recent
    labels = [a["label"] for a in trend["annotations"]]
    assert any(recent[-1].title in label for label in labels)

    # Hovering the marker shows its title.
    page.locator("#trend-chart").scroll_into_view_if_needed()
    hover = page.evaluate(
        """(date) => {
            const canvas = document.querySelector("#trend-chart");
            const chart = Chart.getChart(canvas);
            const box = canvas.getBoundingClientRect();
            return {x: box.left + chart.scales.x.getPixelForValue(chart.scales.x.parse(date)),
                    y: box.top + (chart.chartArea.top + chart.chartArea.bottom) / 2};
        }""",
        recent[-1].date.isoformat(),
    )
    page.mouse.move(hover["x"] - 20, hover["y"])
    page.mouse.move(hover["x"], hover["y"])
    # Chart.js handles pointer events on the next animation frame: wait for the label.
    shown = page.wait_for_function(
        """() => {
            const chart = Chart.getChart(document.querySelector("#trend-chart"));
            const labels = Chart.registry.getPlugin("annotation").getAnnotations(chart)
                .filter((el) => el.label && el.label.options.display)
                .map((el) => el.label.options.content);
            return labels.length ? labels : null;
        }""",
        timeout=5000,
    ).json_value()
    assert len(shown) == 1 and recent[-1].title in shown[0]

    page.click(".range-bar [data-range='30d']")
    page.wait_for_selector("body[data-charts-ready='30d']")
    month = chart_state(page, "#trend-chart")
    assert 28 <= days_between(month) <= 30
    assert page.locator("#trend-table tbody tr").count() == 30
    assert "range=30d" in page.locator("#trend-csv").get_attribute("href")

    page.click(".range-bar [data-range='all']")
    page.wait_for_selector("body[data-charts-ready='all']")
    everything = chart_state(page, "#trend-chart")
    assert days_between(everything) > 5 * 364
    assert len(everything["annotations"]) == len(five_years["activities"])

    # One drawn chart per account metric.
    assert page.locator("#metric-charts canvas").count() == 3
    assert chart_state(page, "#metric-charts canvas")["drawn"] > 500

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "subject-page.png"), full_page=True)
    assert page.errors == []


def test_custom_dates_show_that_range(transactional_db, live_server, page, owner, recent, subject):
    log_in(page, live_server, owner)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk]))
    page.wait_for_selector("body[data-charts-ready='1y']")
    start, end = today() - dt.timedelta(days=60), today() - dt.timedelta(days=31)
    page.fill("#range-from", start.isoformat())
    page.fill("#range-to", end.isoformat())
    page.click("#range-custom button[type=submit]")
    page.wait_for_selector("body[data-charts-ready='custom']")
    rows = page.locator("#trend-table tbody tr th").all_text_contents()
    assert rows[0] == start.isoformat() and rows[-1] == end.isoformat()
    assert page.errors == []


def test_the_subject_page_fits_a_phone_screen(transactional_db, live_server, browser, owner, recent, subject):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, owner)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk]))
    page.wait_for_selector("body[data-charts-ready='1y']")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
    assert chart_state(page, "#trend-chart")["drawn"] > 500
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "subject-page-phone.png"), full_page=True)
    context.close()
    assert errors == []


def test_home_and_compare_render_without_errors(transactional_db, live_server, page, owner, recent, subject,
                                                other_subject):
    log_in(page, live_server, owner)
    assert page.locator(".subject-card svg.sparkline").count() == 1
    page.goto(live_server.url + reverse("compare"))
    page.wait_for_selector("body[data-charts-ready='total']")
    assert chart_state(page, "#compare-chart")["drawn"] > 500
    page.select_option("#compare-measure", "online_only")
    page.wait_for_selector("body[data-charts-ready='online_only']")
    assert page.locator("#compare-table tbody tr").count() == 365
    assert page.errors == []


def test_compare_picker_adds_a_found_subject_and_keeps_it_while_searching_and_paging(
    transactional_db, live_server, page, owner, workspace
):
    from tests.dashboard.history import add_scored_subjects

    subjects = add_scored_subjects(workspace, 45, today(), days=40)
    log_in(page, live_server, owner)
    page.goto(live_server.url + reverse("compare"))
    page.wait_for_selector("body[data-charts-ready='total']")
    assert page.locator("#compare-table thead th").count() == 1 + 3  # the day, and the first three
    # Ticking a subject offered below redraws the chart with it and puts it in the address.
    page.evaluate("delete document.body.dataset.chartsReady")
    page.check(f"#compare-results input[value='{subjects[20].pk}']")
    page.wait_for_selector("body[data-charts-ready='total']")
    assert page.locator("#compare-table thead th").count() == 1 + 4
    assert f"{subjects[20].pk}" in page.url.split("subjects=")[1]
    # The next page of subjects to add, then a search: the four stay chosen.
    page.click("#compare-results ~ nav button[name=page]")
    page.wait_for_selector("text=Page 2 of 3")
    page.fill("#compare-q", "subject 4")
    page.press("#compare-q", "Enter")
    page.wait_for_selector("#compare-q[value='subject 4']")
    chosen = page.locator("#compare-chosen input:checked")
    assert chosen.count() == 4 and subjects[20].name in page.locator("#compare-chosen").inner_text()
    assert page.locator("#compare-results label").count() == 7  # Subject 4 and 40 to 45
    page.wait_for_selector("body[data-charts-ready='total']")
    assert page.errors == []
