"""The weekly email's chart and its words: a PNG with a 0-100 axis and dates, its numbers in the alt
text and the text part, its period said; movers under half a point left out; one line per failing account."""

import datetime as dt
import io
import re
import struct

import numpy as np
import pytest
from django.utils import timezone
from matplotlib import image

from influence.core.choices import AccountStatus, Network
from influence.core.models import ScoreSnapshot
from influence.digests import chart, content
from influence.scoring import latest
from tests.digests.test_size import build, parts
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 7)
DAYS = [START + dt.timedelta(days=n) for n in range(84)]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


def filled_height(png: bytes) -> float:
    """How high the stacked areas reach in the middle of the chart, as a fraction of the 0-100 axis."""
    pixels = image.imread(io.BytesIO(png))[:, :, :3]
    column = pixels[:, pixels.shape[1] // 2]
    online = np.array([0x2F, 0x5B, 0xD3]) / 255
    offline = np.array([0xD9, 0x82, 0x2B]) / 255
    coloured = [i for i, rgb in enumerate(column)
                if np.abs(rgb - online).max() < 0.02 or np.abs(rgb - offline).max() < 0.02]
    # The axis runs from 16 % of the height above the bottom to 6 % below the top (chart._figure).
    axis = 0.78 * pixels.shape[0]
    return len(coloured) / axis


def test_the_chart_is_a_480_by_160_png_on_the_fixed_0_to_100_scale():
    low = chart.render(DAYS, [4.0] * 84, [5.0] * 84)
    high = chart.render(DAYS, [40.0] * 84, [53.0] * 84)
    assert png_size(low) == png_size(high) == (480, 160)
    assert low != high
    # A 9 fills about a tenth of the axis and a 93 nearly all of it: not both the whole height.
    assert 0.06 < filled_height(low) < 0.12
    assert 0.88 < filled_height(high) < 0.96
    # A drop from 9.0 to 8.7 stays a sliver: the chart does not rescale to its own range.
    dropping = chart.render(DAYS, [4.0] * 42 + [3.7] * 42, [5.0] * 84)
    assert abs(filled_height(dropping) - filled_height(low)) < 0.02


def test_the_chart_has_a_few_dated_ticks_from_the_first_to_the_last_day():
    assert chart.date_ticks(DAYS) == [0, 28, 55, 83]
    assert chart.date_ticks(DAYS[:1]) == [0]
    assert chart.date_ticks([]) == []
    # Dates drawn as text: the chart with other dates is another image.
    assert chart.render(DAYS, [4.0] * 84, [5.0] * 84) != chart.render(
        [day + dt.timedelta(days=100) for day in DAYS], [4.0] * 84, [5.0] * 84)


def test_the_cache_key_names_the_charts_second_look():
    assert chart.cache_key(5, START) == "digest-chart:v2:5:2026-09-07"


def test_the_chart_period_is_twelve_weeks_or_since_the_first_score():
    today = DAYS[-1]
    assert content.chart_period(DAYS[0], today) == "Last 12 weeks"
    assert content.chart_period(today - dt.timedelta(days=20), today) == "Since 9 Nov"


def test_a_failing_accounts_detail_does_not_repeat_its_name():
    names = ("Hacker News: sokafor", "Hacker News", "")
    detail = content.failing_detail("Failing", "Hacker News answered HTTP 503 (after 3 retries).", names)
    assert detail == "Failing: answered HTTP 503 (after 3 retries)."
    assert content.failing_detail("Failing", "Hacker News: sokafor: gone", names) == "Failing: gone"
    assert content.failing_detail("Needs a key", "", names) == "Needs a key"
    # Spread over lines, the error is one line.
    detail = content.failing_detail("Failing", "HTTP 503\nfrom the instance", names)
    assert detail == "Failing: HTTP 503 from the instance"


def seed(subject, today, shares_now, shares_before, totals=(30.0, 52.4)):
    """Two weeks of snapshots whose breakdowns give each network or kind a share of the score,
    `shares_before` up to a week ago and `shares_now` since."""
    rows = []
    for offset in range(14, -1, -1):
        shares = shares_now if offset < 7 else shares_before
        total = totals[1] if offset < 7 else totals[0]
        breakdown = {
            "networks": {"github": {"points": 10.0, "share": shares["github"]}},
            "kinds": {"talk": {"points": 5.0, "share": shares["talk"]}},
        }
        rows.append(ScoreSnapshot(subject=subject, day=today - dt.timedelta(days=offset), total=total,
                                  online=shares["github"], offline=shares["talk"], online_points=10,
                                  offline_points=5, breakdown=breakdown, model_version="test"))
    ScoreSnapshot.objects.bulk_create(rows)
    latest.refresh([subject.pk])


def test_movers_under_half_a_point_are_left_out(owner, subject):
    today = timezone.now().date()
    seed(subject, today, {"github": 20.2, "talk": 32.2}, {"github": 19.9, "talk": 10.1})
    message, _ = build(owner)
    text, html = parts(message)
    assert "  - Talk (offline): +22.1 points" in text
    assert "GitHub (online)" not in text and "GitHub (online)" not in html


def test_the_chart_says_its_period_and_its_numbers_in_words(owner, subject):
    today = timezone.now().date()
    seed(subject, today, {"github": 20.2, "talk": 32.2}, {"github": 19.9, "talk": 10.1})
    message, _ = build(owner)
    text, html = parts(message)
    first = today - dt.timedelta(days=14)
    words = (f"Score from 30 on {first.day} {first:%b} to 52 on {today.day} {today:%b}; "
             "online part 20, offline part 32")
    # Fifteen days of scores: the chart's period starts on the first of them.
    assert f"Since {first.day} {first:%b}, the score out of 100: {words}" in text
    assert f'alt="{words}"' in html and 'width="480" height="160"' in html
    assert f"Since {first.day} {first:%b}, the score out of 100: its part from online in blue" in html
    [png] = [part.get_payload(decode=True) for part in message.attachments]
    assert png_size(png) == (480, 160)


def test_one_line_per_failing_account_without_its_name_twice(owner, subject):
    today = timezone.now().date()
    seed(subject, today, {"github": 20.2, "talk": 32.2}, {"github": 19.9, "talk": 10.1})
    AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="sokafor", status=AccountStatus.FAILING,
                   last_error="Hacker News answered HTTP 503 Service Unavailable (after 3 retries).")
    message, _ = build(owner)
    text, html = parts(message)
    [line] = [line for line in text.splitlines() if "sokafor" in line]
    assert line == "  - Hacker News: sokafor — Failing: answered HTTP 503 Service Unavailable (after 3 retries)."
    assert len(re.findall("Hacker News", line)) == 1
    assert "<li>Hacker News: sokafor — Failing: answered HTTP 503 Service Unavailable (after 3 retries).</li>" in html


def test_a_single_day_is_drawn_as_a_level_across_the_chart():
    assert 0.06 < filled_height(chart.render(DAYS[:1], [4.0], [5.0])) < 0.12
