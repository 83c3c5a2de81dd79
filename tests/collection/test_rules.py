"""The pure rules: complete answers, history rows, back-off delays, rate-limit windows."""

import datetime as dt
import random

import pytest

from influence.collection import backoff_seconds, history_rows, ratelimit, validate_metrics
from influence.collection.metrics import merge_rows
from influence.connectors import BadResponse


def test_a_complete_answer_is_kept_as_it_is():
    assert validate_metrics("github", {"followers": 1, "public_repos": 2, "stars": 3}) == {
        "followers": 1, "public_repos": 2, "stars": 3,
    }


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"followers": 1, "public_repos": 2}, "partial answer: no stars"),
        ({}, "no metrics"),
        (None, "no metrics"),
        ({"followers": "1", "public_repos": 2, "stars": 3}, "not a whole number"),
        ({"followers": True, "public_repos": 2, "stars": 3}, "not a whole number"),
        ({"followers": 2**70, "public_repos": 2, "stars": 3}, "out of range"),
    ],
)
def test_a_partial_or_malformed_answer_is_a_bad_response(answer, message):
    with pytest.raises(BadResponse, match=message):
        validate_metrics("github", answer)


def test_a_youtube_channel_that_hides_its_subscribers_is_still_a_complete_answer():
    assert validate_metrics("youtube", {"views": 1000, "videos": 12}) == {"views": 1000, "videos": 12}
    with pytest.raises(BadResponse, match="partial answer: no views"):
        validate_metrics("youtube", {"subscribers": 5, "videos": 12})


def test_a_metric_unknown_to_the_domain_is_left_out():
    assert validate_metrics("hackernews", {"karma": 5, "submissions_vibe": 3}) == {"karma": 5}


def test_history_sums_need_a_full_30_day_window_and_count_missing_days_as_zero():
    first = dt.date(2026, 1, 1)
    history = {first + dt.timedelta(days=n): 10 for n in range(40) if n != 35}

    rows = history_rows(history)

    sums = {day: value for metric, day, value in rows if metric == "pageviews_30d"}
    assert min(sums) == dt.date(2026, 1, 30) and max(sums) == dt.date(2026, 2, 9)
    assert sums[dt.date(2026, 1, 30)] == 300
    assert sums[dt.date(2026, 2, 9)] == 290  # day 35 had no views
    assert len([r for r in rows if r[0] == "pageviews"]) == 39


def test_a_history_with_a_bad_day_or_value_is_a_bad_response():
    with pytest.raises(BadResponse):
        history_rows({"2026-01-01": 3})
    with pytest.raises(BadResponse):
        history_rows({dt.date(2026, 1, 1): "3"})


def test_todays_answer_wins_over_the_history_for_today():
    today = dt.date(2026, 6, 30)
    rows = merge_rows([("pageviews", today, 1), ("pageviews", dt.date(2026, 6, 29), 2)], {"pageviews": 9}, today)
    assert sorted(rows) == [("pageviews", dt.date(2026, 6, 29), 2), ("pageviews", today, 9)]


def test_backoff_doubles_with_jitter_and_stops_at_the_cap():
    rng = random.Random(7)
    waits = [backoff_seconds(n, None, base=10, cap=100, rng=rng) for n in range(6)]
    for n, wait in enumerate(waits):
        exponential = min(100, 10 * 2**n)
        assert exponential / 2 <= wait <= exponential
    assert len({round(w, 6) for w in waits}) == 6  # jittered, not fixed steps


def test_backoff_never_comes_back_before_retry_after():
    rng = random.Random(1)
    assert all(30 <= backoff_seconds(0, 30, base=1, cap=5, rng=rng) <= 31 for _ in range(50))


def test_rate_limit_sends_the_callers_past_the_limit_to_later_windows(settings):
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    now = 60 * 16_666_667 + 20.0  # 20 s into a minute window
    network = f"hackernews-{random.randrange(10**9)}"
    settings.COLLECT_RATE_LIMITS = f"{network}=2/m"

    waits = [ratelimit.reserve(network, now=now) for _ in range(5)]

    assert waits[:2] == [0.0, 0.0]
    assert 40 <= waits[2] <= 70 and 40 <= waits[3] <= 70  # the next window
    assert 100 <= waits[4] <= 130  # the one after


def test_rate_limits_are_per_mastodon_instance_and_can_be_turned_off(settings):
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    settings.COLLECT_RATE_LIMITS = "mastodon=1/h"
    now = 2_000_000_000.0 + random.randrange(10**6) * 3600
    assert ratelimit.reserve("mastodon", "https://a.example", now=now) == 0
    assert ratelimit.reserve("mastodon", "https://b.example", now=now) == 0
    assert ratelimit.reserve("mastodon", "https://a.example", now=now) > 0

    settings.COLLECT_RATE_LIMITS_ENABLED = False
    assert ratelimit.reserve("mastodon", "https://a.example", now=now) == 0


def test_a_malformed_rate_limit_setting_names_the_bad_part():
    with pytest.raises(ValueError, match="“github=fast”"):
        ratelimit.parse_limits("github=fast")
