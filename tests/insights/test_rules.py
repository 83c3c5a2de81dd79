"""The insight rules on their own (no database): growth, projections, unusual days and effects."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from influence.insights import anomalies, effects, growth, projections
from influence.insights.series import daily_changes

START = dt.date(2026, 1, 1)


def day(i: int) -> dt.date:
    return START + dt.timedelta(days=i)


def cumulative(start: int, gains: list[int]) -> list[tuple[dt.date, int]]:
    points, value = [(day(0), start)], start
    for i, gain in enumerate(gains, start=1):
        value += gain
        points.append((day(i), value))
    return points


# --- growth ---------------------------------------------------------------------------


def test_growth_gives_each_window_in_absolute_and_percent():
    points = cumulative(1000, [10] * 90)  # 1000 on day 0, 1900 on day 90
    result = {g.window_days: g for g in growth.growth(points)}
    assert result[7] == growth.Growth(7, 70, round(100 * 70 / 1830, 1))
    assert result[30] == growth.Growth(30, 300, round(100 * 300 / 1600, 1))
    assert result[90] == growth.Growth(90, 900, 90.0)


def test_growth_has_no_window_whose_start_day_is_missing_and_no_percent_from_zero():
    points = [(day(0), 0), (day(23), 5), (day(30), 12)]
    result = growth.growth(points)
    assert result == [growth.Growth(7, 7, round(100 * 7 / 5, 1)), growth.Growth(30, 12, None)]


@given(st.lists(st.integers(0, 10_000), min_size=91, max_size=120))
def test_growth_change_is_the_difference_of_the_window_ends(values):
    points = [(day(i), v) for i, v in enumerate(values)]
    for g in growth.growth(points):
        assert g.change == values[-1] - values[-1 - g.window_days]


# --- projections ----------------------------------------------------------------------


@settings(max_examples=60)
@given(
    start=st.integers(0, 100_000),
    slope=st.integers(0, 500),
    length=st.integers(30, 200),
    gaps=st.sets(st.integers(1, 199), max_size=40),
)
def test_a_straight_line_projects_onto_itself(start, slope, length, gaps):
    points = [(day(i), start + slope * i) for i in range(length) if i not in gaps or i == length - 1]
    end = length - 1
    observed_in_fit = sum(1 for d, _ in points if (day(end) - d).days < projections.FIT_DAYS)
    result = projections.project(points)
    if observed_in_fit < projections.MIN_OBSERVED_DAYS:
        assert result == []
        return
    assert [p.days_ahead for p in result] == [30, 90, 365]
    for p in result:
        expected = start + slope * (end + p.days_ahead)
        assert p.value == expected
        assert p.low == p.high == expected
        assert p.day == day(end + p.days_ahead)


def test_no_projection_with_fewer_than_30_observed_days_in_the_last_90():
    points = [(day(i), 100 + i) for i in range(0, 90, 3)]  # 30 days observed
    assert len(projections.project(points)) == 3
    assert projections.project(points[1:]) == []
    # Old history does not count: only the 90 days up to the last value.
    old = [(day(i), 100 + i) for i in range(200)] + [(day(400 + i), 300) for i in range(29)]
    assert projections.project(old) == []


def test_a_noisy_series_gets_a_range_around_its_trend():
    points = [(day(i), 1000 + 10 * i + (25 if i % 2 else -25)) for i in range(90)]
    p30 = projections.project(points)[0]
    assert p30.low < p30.value < p30.high
    assert abs(p30.value - (1000 + 10 * 119)) <= 2
    assert p30.high - p30.low > 2 * 1.96 * 25 * 0.9


# --- unusual days ---------------------------------------------------------------------


@settings(max_examples=80)
@given(
    base=st.integers(0, 50),
    noise=st.lists(st.integers(-2, 2), min_size=120, max_size=200),
    spike_at=st.integers(anomalies.MIN_HISTORY + 2, 119),
    size=st.integers(50, 100_000),
    upward=st.booleans(),
)
def test_a_series_with_one_injected_spike_flags_that_day_and_only_that_day(base, noise, spike_at, size, upward):
    gains = [base + n for n in noise]
    gains[spike_at] += size if upward else -size
    points = cumulative(10_000_000, gains)
    found = anomalies.find_anomalies(points)
    assert [a.day for a in found] == [day(spike_at + 1)]
    assert found[0].kind == (anomalies.SPIKE if upward else anomalies.DROP)
    assert found[0].change == gains[spike_at]


def test_a_steady_series_has_no_unusual_day_and_gaps_are_not_daily_changes():
    points = cumulative(500, [3] * 100)
    assert anomalies.find_anomalies(points) == []
    with_gap = [p for p in points if p[0] != day(50)]
    assert day(50) not in {d for d, _ in daily_changes(with_gap)}
    assert day(51) not in {d for d, _ in daily_changes(with_gap)}


def test_too_little_history_flags_nothing():
    gains = [1] * 15 + [10_000]
    assert anomalies.find_anomalies(cumulative(0, gains)) == []


# --- effects --------------------------------------------------------------------------

ACTIVITY_AT = 100


def _activity(i: int = ACTIVITY_AT, pk: int = 1, kind: str = "keynote") -> effects.ActivityRef:
    return effects.ActivityRef(pk, day(i), kind)


def _gains(before: int, after: int, at: int = ACTIVITY_AT, length: int = 160) -> list[int]:
    # gains[i] is the change of day i + 1 (cumulative() starts on day 0).
    return [after if at <= i + 1 < at + effects.AFTER_DAYS else before for i in range(length)]


@settings(max_examples=60)
@given(before=st.integers(1, 40), factor=st.integers(2, 6))
def test_a_rise_of_the_daily_gain_after_an_activity_reports_its_effect(before, factor):
    values = dict(cumulative(1000, _gains(before, before * factor)))
    group = effects.group_activities([_activity()])[0]
    result = effects.effect(values, group, anomalies_of(values))
    assert result is not None
    assert result.before_per_day == before
    assert result.after_per_day == before * factor
    assert result.ratio == factor
    # (On a perfectly regular series the first faster day is itself unusual: flagged, still reported.)


def test_a_gentle_rise_within_the_usual_noise_is_reported_unflagged():
    gains = [10 + (i * 7) % 9 - 4 for i in range(160)]  # 6 to 14 a day
    for i in range(ACTIVITY_AT - 1, ACTIVITY_AT - 1 + effects.AFTER_DAYS):
        gains[i] += 12
    values = dict(cumulative(1000, gains))
    result = effects.effect(values, effects.group_activities([_activity()])[0], anomalies_of(values))
    assert result is not None and result.flagged is False
    assert result.ratio is not None and 2.0 < result.ratio < 2.5


def anomalies_of(values):
    return {a.day for a in anomalies.find_anomalies(sorted(values.items()))}


def test_a_one_day_jump_in_the_after_window_is_flagged_with_the_effect():
    gains = _gains(10, 10)
    gains[ACTIVITY_AT + 3] += 5000
    values = dict(cumulative(1000, gains))
    result = effects.effect(values, effects.group_activities([_activity()])[0], anomalies_of(values))
    assert result is not None and result.flagged is True


def test_an_unusual_day_in_the_before_window_voids_the_effect():
    gains = _gains(10, 30)
    gains[ACTIVITY_AT - 10] += 5000
    values = dict(cumulative(1000, gains))
    assert anomalies_of(values)
    assert effects.effect(values, effects.group_activities([_activity()])[0], anomalies_of(values)) is None


@settings(max_examples=60)
@given(cut=st.integers(0, 1), missing=st.integers(1, 10))
def test_no_effect_with_a_partial_window(cut, missing):
    values = dict(cumulative(1000, _gains(10, 40)))
    group = effects.group_activities([_activity()])[0]
    if cut == 0:  # the after-window is not over yet
        values = {d: v for d, v in values.items() if d < day(ACTIVITY_AT + effects.AFTER_DAYS - missing)}
    else:  # the history starts inside the before-window
        values = {d: v for d, v in values.items() if d >= day(ACTIVITY_AT - effects.BEFORE_DAYS - 1 + missing)}
    assert effects.effect(values, group, set()) is None


def test_a_window_with_too_many_missing_days_is_not_complete():
    values = dict(cumulative(1000, _gains(10, 40)))
    holes = {day(ACTIVITY_AT - 20 + i) for i in range(8)}
    values = {d: v for d, v in values.items() if d not in holes}
    assert effects.effect(values, effects.group_activities([_activity()])[0], set()) is None


def test_below_one_a_day_the_extra_gain_is_reported_without_a_ratio():
    gains = [0] * 160
    for i in range(ACTIVITY_AT - 1, ACTIVITY_AT - 1 + effects.AFTER_DAYS):
        gains[i] = 5
    values = dict(cumulative(100, gains))
    result = effects.effect(values, effects.group_activities([_activity()])[0], set())
    assert result is not None and result.ratio is None
    assert (result.before_per_day, result.after_per_day) == (0, 5)


def test_activities_within_14_days_of_each_other_form_one_group_measured_once():
    acts = [_activity(100, 1), _activity(110, 2, "talk"), _activity(124, 3), _activity(139, 4)]
    groups = effects.group_activities(acts)
    assert [g.ids for g in groups] == [[1, 2, 3], [4]]
    values = dict(cumulative(1000, _gains(10, 10, length=200)))
    result = effects.effect(values, groups[0], set())
    assert result is not None and result.group.ids == [1, 2, 3]


def test_kinds_are_summarised_by_their_median_ratio_over_their_activities():
    def made(pk: int, kind: str, ratio: float | None) -> effects.Effect:
        group = effects.Group((effects.ActivityRef(pk, day(pk * 30), kind),))
        return effects.Effect(group, 10, 10 * (ratio or 0), ratio, False)

    summary = effects.kind_summaries(
        [made(1, "keynote", 2.0), made(2, "keynote", 3.0), made(3, "keynote", 1.5), made(4, "talk", None)]
    )
    assert summary == [effects.KindSummary("keynote", 2.0, 3)]


def test_consecutive_unusual_days_are_listed_once_from_their_first_day():
    gains = [10 + (i % 3) for i in range(120)]
    for i in range(80, 86):
        gains[i] += 5000 // (i - 79)
    found = anomalies.find_anomalies(cumulative(0, gains))
    assert len(found) > 1
    assert [a.day for a in anomalies.first_days(found)] == [day(81)]


def test_effects_rank_by_how_much_faster_than_usual_counting_a_slow_usual_as_one_a_day():
    group = effects.Group((_activity(),))
    doubled = effects.Effect(group, 10, 20, 2.0, False)
    from_nothing = effects.Effect(group, 0.2, 5, None, False)
    slower = effects.Effect(group, 10, 5, 0.5, False)
    ranked = sorted([slower, doubled, from_nothing], key=lambda e: e.strength, reverse=True)
    assert ranked == [from_nothing, doubled, slower]
