"""What pages and the weekly email both show, without the database: ranges, downsampling, CSV cells,
the explanation in whole numbers, changes and sparklines."""

import datetime as dt

import pytest

from influence.reports import explanation, series, summaries

TODAY = dt.date(2026, 6, 30)


def test_named_ranges_end_today_and_span_their_days():
    rng = series.parse_range("30d", None, None, TODAY)
    assert (rng.start, rng.end) == (dt.date(2026, 6, 1), TODAY)
    assert series.parse_range("1y", None, None, TODAY).start == dt.date(2025, 7, 1)
    assert series.parse_range("all", None, None, TODAY).start is None


def test_no_range_means_the_last_year_and_dates_alone_mean_custom():
    assert series.parse_range(None, None, None, TODAY).key == "1y"
    rng = series.parse_range(None, "2026-01-01", None, TODAY)
    assert (rng.key, rng.start, rng.end) == ("custom", dt.date(2026, 1, 1), TODAY)


def test_without_a_range_a_history_shorter_than_a_year_is_drawn_whole():
    # A subject first scored 40 days ago: its whole history, not a strip at the right of a year.
    rng = series.parse_range(None, None, None, TODAY, first_day=TODAY - dt.timedelta(days=40))
    assert (rng.key, rng.start, rng.end) == ("all", None, TODAY)
    assert rng.as_dict(TODAY - dt.timedelta(days=40))["from"] == "2026-05-21"
    # A year or more of history, or none at all: the last year.
    assert series.parse_range(None, None, None, TODAY, first_day=TODAY - dt.timedelta(days=364)).key == "1y"
    assert series.parse_range(None, None, None, TODAY, first_day=TODAY - dt.timedelta(days=363)).key == "all"
    assert series.parse_range(None, None, None, TODAY, first_day=None).key == "1y"
    # A range asked for is kept whatever the history.
    assert series.parse_range("1y", None, None, TODAY, first_day=TODAY).key == "1y"
    assert series.parse_range(None, "2026-06-01", None, TODAY, first_day=TODAY).key == "custom"


@pytest.mark.parametrize(
    ("key", "start", "end", "message"),
    [
        ("forever", None, None, "Unknown range"),
        ("custom", "2026-13-01", None, "is not a date"),
        ("custom", "2026-05-01", "2026-04-01", "after"),
    ],
)
def test_bad_ranges_are_refused_with_a_reason(key, start, end, message):
    with pytest.raises(series.RangeError, match=message):
        series.parse_range(key, start, end, TODAY)


def test_up_to_a_year_is_daily_and_longer_is_weekly():
    assert not series.DateRange("1y", TODAY - dt.timedelta(days=365), TODAY).weekly(None)
    assert series.DateRange("custom", TODAY - dt.timedelta(days=366), TODAY).weekly(None)
    # "all" is measured from the first day with data.
    assert not series.DateRange("all", None, TODAY).weekly(TODAY - dt.timedelta(days=200))
    assert series.DateRange("all", None, TODAY).weekly(TODAY - dt.timedelta(days=800))


def test_weekly_downsampling_keeps_the_last_value_of_each_iso_week():
    monday = dt.date(2026, 6, 1)
    rows = [(monday + dt.timedelta(days=n), n) for n in range(15)]  # Mon 1 June to Mon 15 June
    kept = series.downsample(rows, weekly=True)
    assert kept == [(dt.date(2026, 6, 7), 6), (dt.date(2026, 6, 14), 13), (dt.date(2026, 6, 15), 14)]
    assert series.downsample(rows, weekly=False) == rows


def test_weekly_downsampling_across_a_new_year_uses_iso_weeks():
    rows = [(dt.date(2025, 12, 29), 1), (dt.date(2026, 1, 4), 2), (dt.date(2026, 1, 5), 3)]
    # 29 Dec 2025 and 4 Jan 2026 are both in ISO week 1 of 2026.
    assert series.downsample(rows, weekly=True) == [(dt.date(2026, 1, 4), 2), (dt.date(2026, 1, 5), 3)]


def test_grouped_downsampling_keeps_groups_apart():
    day = dt.date(2026, 6, 1)
    rows = [("a", day, 1), ("a", day + dt.timedelta(days=1), 2), ("b", day, 5)]
    assert series.downsample_grouped(rows, weekly=True) == {"a": [(day + dt.timedelta(days=1), 2)], "b": [(day, 5)]}


def test_csv_cells_that_look_like_formulas_are_quoted():
    assert series.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert series.csv_cell("Jane") == "Jane"
    assert series.csv_cell(3) == 3


def test_the_breakdown_is_shown_in_whole_numbers_that_add_up_at_every_level():
    # SCORING.md's worked example: 28.31 = 15.10 from online + 13.21 from offline.
    breakdown = {
        "day": "2026-06-30", "total": 28.31, "online": 15.10, "offline": 13.21, "online_only": 16.27,
        "networks": {"mastodon": {"points": 6.6, "share": 9.36, "count": 1},
                     "github": {"points": 4.05, "share": 5.74, "count": 1}},
        "kinds": {"keynote": {"points": 9.32, "share": 13.21, "count": 1}},
        "stale": [{"key": "account:7:followers", "label": "GitHub: jane", "as_of": "2026-04-01"}],
    }
    breakdown.update(online_points=10.65, offline_points=9.3183)
    shown = explanation.explain(breakdown, {7: "github"}, k=60.0)
    assert shown.sentence == "28 = 15 from online + 13 from offline"
    assert {p.group: p.shown for p in shown.networks} == {"mastodon": 9, "github": 6}
    assert sum(p.shown for p in shown.networks) == shown.online_share
    assert sum(p.shown for p in shown.kinds) == shown.offline_share
    assert [p.group for p in shown.networks if p.stale] == ["github"]
    assert (shown.online_score, shown.offline_score) == (16, 14)


def test_a_change_is_measured_on_the_shown_scores():
    week = summaries.change_between(7, 49.0, 46.9)  # shown 49 and 47
    assert (week.value, week.direction, week.arrow) == (49 - 47, "up", "▲")
    assert week.spoken == "up 2 points over 7 days"
    assert summaries.change_between(60, 49.0, None) is None


def test_a_sparkline_spans_its_box_from_left_to_right():
    points = summaries.sparkline_points([10, 20, 15], width=100, height=20).split()
    assert points[0].startswith("0.0,") and points[-1].startswith("100.0,")
    assert float(points[1].split(",")[1]) < float(points[0].split(",")[1])  # higher value, higher up
    assert summaries.sparkline_points([]) == ""


def _heights(points: str, height: int = 32) -> list[float]:
    """How high each point of a sparkline is drawn, from 0 (the box's bottom) to `height` (its top)."""
    return [height - float(point.split(",")[1]) for point in points.split()]


def test_a_sparkline_is_drawn_on_the_fixed_0_to_100_scale():
    # A 9 is drawn in the bottom tenth of the box, a 93 near its top: not both at the top.
    low, high = _heights(summaries.sparkline_points([9, 9])), _heights(summaries.sparkline_points([93, 93]))
    assert low[0] < 32 * 0.15 and high[0] > 32 * 0.85
    # A drop from 9.0 to 8.7 is a fraction of a pixel, not the box's whole height.
    drop = _heights(summaries.sparkline_points([9.0, 8.9, 8.7]))
    assert 0 < drop[0] - drop[-1] < 0.2
    # 0 sits on the bottom padding, 100 on the top padding; values past either end stay in the box.
    assert _heights(summaries.sparkline_points([0, 100, -5, 120])) == [2.0, 30.0, 2.0, 30.0]


def test_a_sparklines_period_is_its_window_or_the_day_it_starts():
    assert summaries.sparkline_period(TODAY - dt.timedelta(days=90), TODAY) == "last 90 days"
    assert summaries.sparkline_period(TODAY - dt.timedelta(days=12), TODAY) == "since 18 Jun"
    assert summaries.sparkline_period(dt.date(2025, 12, 20), dt.date(2026, 1, 10)) == "since 20 Dec 2025"
