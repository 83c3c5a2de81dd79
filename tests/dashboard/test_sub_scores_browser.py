"""In headless Chromium: the headline's three numbers, the home card's, and the day a scoring change was saved
marked on the trend chart."""

import pytest
from django.urls import reverse

from influence.core.models import ParameterChange
from influence.scoring.snapshots import today
from tests.dashboard.history import build_history
from tests.dashboard.test_browser import browser, chart_state, log_in, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser]


def test_the_trend_chart_marks_a_scoring_change_and_the_cards_show_the_sub_scores(
    transactional_db, live_server, page, owner, workspace, subject  # noqa: F811
):
    build_history(subject, today(), years=60 / 365, activities_per_year=12)
    ParameterChange.objects.create(workspace=workspace, changed_by=owner, version_before="v1-aaaaaaa",
                                   version_after="v1-bbbbbbb",
                                   changes=[{"name": "k", "label": "Saturation K", "old": 60.0, "new": 50.0}])
    log_in(page, live_server, owner)
    card = " ".join(page.locator(".subject-card .sub-scores").inner_text().split())
    page.click(f"text={subject.name}")
    # Sixty days of history: drawn whole by default.
    page.wait_for_selector("body[data-charts-ready='all']")
    headline = " ".join(page.locator("#score-headline").inner_text().split())
    # The card's "Online X · Offline Y" are the headline's.
    assert card.startswith("Online ") and headline.endswith(" · " + card)

    trend = chart_state(page, "#trend-chart")
    assert trend["datasets"] == ["Score", "Online", "Offline"]
    marks = [a for a in trend["annotations"] if a["label"] == "scoring changed; history recomputed"]
    assert len(marks) == 1
    # Drawn on the day the parameters were saved.
    assert marks[0]["x"] == today().isoformat()
    page.goto(live_server.url + reverse("workspace_scoring", args=[workspace.pk]))
    assert "Saturation K" in page.locator("#parameter-changes").inner_text()
    assert page.errors == []
