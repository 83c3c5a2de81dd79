"""In headless Chromium, at desktop and phone width: the subject page's charts tell the truth. The score axis
is 0-100, metric axes start at zero until zoomed, ticks name the year across a year, a new subject's default
range fits its history, the hover box gives the score with its sub-scores, each chart has a sentence, and the
trend's legend fits a phone."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from influence import scoring
from influence.scoring.snapshots import today
from tests.dashboard.history import build_history
from tests.dashboard.test_browser import OUTPUT_DIR, browser, log_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser]

WIDTHS = {"desktop": 1280, "phone": 390}
YEAR = re.compile(r"\b(19|20)\d\d\b")


@pytest.fixture(params=list(WIDTHS))
def page(request, browser):  # noqa: F811
    """A fresh page at the parametrised width that records console and page errors."""
    width = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.width_name = request.param
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    yield page
    context.close()


def open_subject(page, live_server, owner, subject, ready: str, query: str = "") -> None:
    log_in(page, live_server, owner)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk]) + query)
    page.wait_for_selector(f"body[data-charts-ready='{ready}']")


def scale(page, selector: str, axis: str) -> dict:
    return page.evaluate(
        """([selector, axis]) => {
            const chart = Chart.getChart(document.querySelector(selector));
            const s = chart.scales[axis];
            return {min: s.min, max: s.max, ticks: s.ticks.map((t) => String(t.label))};
        }""",
        [selector, axis],
    )


def tooltip(page, index: int) -> dict:
    """The trend's hover box on the index-th day, shown as a hover would (Chart.js' own tooltip)."""
    return page.evaluate(
        """(index) => {
            const chart = Chart.getChart(document.querySelector("#trend-chart"));
            const meta = chart.getDatasetMeta(0).data[index];
            chart.tooltip.setActiveElements([{datasetIndex: 0, index: index}], {x: meta.x, y: meta.y});
            chart.update();
            const t = chart.tooltip;
            return {title: t.title, body: t.body.flatMap((b) => b.lines), footer: t.footer};
        }""",
        index,
    )


def test_score_and_metric_axes_zoom_and_summaries(transactional_db, live_server, page, owner, recent, subject):
    open_subject(page, live_server, owner, subject, "1y")
    trend_y = scale(page, "#trend-chart", "y")
    assert (trend_y["min"], trend_y["max"]) == (0, 100)

    # Each metric chart starts at zero; its zoom button (a real toggle) fits the axis to the data.
    assert page.locator("#metric-charts .metric-chart").count() == 3
    zoomed = {}
    for metric in ("followers", "engagements_30d", "stars"):
        selector = f"#metric-charts .metric-chart[data-metric='{metric}']"
        assert scale(page, selector + " canvas", "y")["min"] == 0
        button = page.locator(selector + " button.zoom")
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        zoomed[metric] = scale(page, selector + " canvas", "y")["min"]
        button.click()
        assert button.get_attribute("aria-pressed") == "false"
        assert scale(page, selector + " canvas", "y")["min"] == 0
    # Engagements (about 80 to 130) and stars (about 90 to 280) are far from zero: zoomed, their axis
    # starts near their lowest value.
    assert zoomed["engagements_30d"] >= 50 and zoomed["stars"] >= 50, zoomed

    # A sentence on each chart, in the page: the trend's first and last score, a metric's every line.
    data = page.evaluate("""async () => (await fetch(JSON.parse(
        document.getElementById("chart-config").textContent).seriesUrl + "?range=1y")).json()""")
    summary = page.locator("#trend-summary").inner_text()
    first, last = (int(v + 0.5) for v in (data["total"][0], data["total"][-1]))
    assert summary.startswith(f"From {_day(data['days'][0])} to {_day(data['days'][-1])} the score went from "
                              f"{first} to {last}")
    assert "Online went from" in summary and page.locator("#trend-summary").is_visible()
    followers = page.locator("#metric-charts .metric-chart[data-metric='followers'] .chart-summary").inner_text()
    assert "Mastodon: jane@example.social went from" in followers and "GitHub: jane went from" in followers

    # The compare page's score chart is on the same fixed scale.
    page.goto(live_server.url + reverse("compare"))
    page.wait_for_selector("body[data-charts-ready='total']")
    compare_y = scale(page, "#compare-chart", "y")
    assert (compare_y["min"], compare_y["max"]) == (0, 100)
    compared = page.locator("#compare-summary").inner_text()
    assert compared.startswith(f"Score from {_day(data['days'][0])} to {_day(data['days'][-1])}: ")
    assert f"{subject.name} went from {first} to {last}" in compared
    # One subject alone holds the whole share of voice.
    voice = page.locator("#compare-voice-summary").inner_text()
    assert voice.startswith("Share of voice (%) from ") and f"{subject.name} went from 100 to 100 (0)" in voice, voice
    assert page.errors == []


def test_ticks_name_the_year_only_across_a_year_and_the_hover_box_the_full_date(
    transactional_db, live_server, page, owner, recent, subject
):
    year = today().year - 1
    open_subject(page, live_server, owner, subject, "custom", f"?range=custom&from={year}-12-01&to={year + 1}-01-31")
    for selector in ("#trend-chart", "#metric-charts canvas"):
        ticks = scale(page, selector, "x")["ticks"]
        assert ticks and all(YEAR.search(t) for t in ticks), ticks
    assert any(str(year) in t for t in ticks) and any(str(year + 1) in t for t in ticks)

    # Two months within one year (of the 450 days drawn): no year on the ticks, the full date on hover.
    within = dt.date(today().year, 1, 1) if today().month > 2 else dt.date(today().year - 1, 6, 1)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk])
              + f"?range=custom&from={within}&to={within + dt.timedelta(days=58)}")
    page.wait_for_selector("body[data-charts-ready='custom']")
    ticks = scale(page, "#trend-chart", "x")["ticks"]
    assert ticks and not any(YEAR.search(t) for t in ticks), ticks
    assert tooltip(page, 0)["title"] == [_day(within.isoformat())]
    assert page.errors == []


def test_the_hover_box_gives_the_score_with_its_sub_scores_in_both_views(
    transactional_db, live_server, page, owner, recent, subject
):
    open_subject(page, live_server, owner, subject, "30d", "?range=30d")
    data = page.evaluate("""async () => (await fetch(JSON.parse(
        document.getElementById("chart-config").textContent).seriesUrl + "?range=30d")).json()""")
    last = len(data["days"]) - 1
    shown = [int(data[key][last] + 0.5) for key in ("total", "online_score", "offline_score")]
    expected_body = [f"Score {shown[0]}", f"Online {shown[1]}", f"Offline {shown[2]}"]
    # The parts in whole numbers that add up to the score, as the page's breakdown shows them.
    total, parts = scoring.display_parts(data["total"][last], {"online": data["online_share"][last],
                                                                "offline": data["offline_share"][last]})
    assert total == shown[0]
    expected_footer = [f"Score {total} = {parts['online']} from online + {parts['offline']} from offline"]

    box = tooltip(page, last)
    assert box == {"title": [_day(today().isoformat())], "body": expected_body, "footer": expected_footer}
    page.click(".trend-views [data-view='contributions']")
    assert tooltip(page, last) == box
    assert page.errors == []


def test_a_new_subjects_default_range_fits_its_history_and_the_legend_fits(
    transactional_db, live_server, page, owner, subject
):
    history = build_history(subject, today(), years=40 / 365)
    open_subject(page, live_server, owner, subject, "all")
    span = page.evaluate("""() => {
        const s = Chart.getChart(document.querySelector("#trend-chart")).scales.x;
        return (s.max - s.min) / 86400000;
    }""")
    assert 39 <= span <= 41, "the axis spans the subject's 40 days, not a year"
    assert page.locator(".range-bar [data-range='all']").get_attribute("aria-current") == "true"
    assert "range=all" in page.locator("#trend-csv").get_attribute("href")
    assert page.locator("#trend-summary").inner_text().startswith(f"From {_day(history['start'].isoformat())}")

    # Every legend item is drawn inside the chart, in both views, at this width.
    for view in ("scores", "contributions"):
        page.click(f".trend-views [data-view='{view}']")
        legend = page.evaluate("""() => {
            const chart = Chart.getChart(document.querySelector("#trend-chart"));
            return {width: chart.width, items: chart.legend.legendItems.length,
                    boxes: chart.legend.legendHitBoxes.map((b) => [b.left, b.left + b.width])};
        }""")
        assert legend["items"] == len(legend["boxes"]) == (3 if view == "scores" else 2)
        assert all(0 <= left and right <= legend["width"] for left, right in legend["boxes"]), legend
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    page.locator("section[aria-labelledby='trend-heading']").screenshot(
        path=str(OUTPUT_DIR / f"honest-charts-new-subject-{page.width_name}.png"))
    assert page.errors == []


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"
