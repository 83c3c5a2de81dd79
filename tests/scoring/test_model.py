"""SCORING.md, model v1, checked on its worked example and its rules, without the database."""

import datetime as dt

import pytest

from influence import scoring
from influence.scoring.explain import display_parts
from influence.scoring.model import ActivityInput, ObservationInput, score_day
from influence.scoring.parameters import Parameters

DAY = dt.date(2026, 6, 30)


def worked_example():
    observations = [
        ObservationInput(1, "mastodon", "followers", dt.date(2026, 6, 29), 2000, "Mastodon"),
        ObservationInput(2, "github", "followers", dt.date(2026, 6, 29), 500, "GitHub"),
    ]
    activities = [ActivityInput(7, "keynote", dt.date(2026, 3, 1), None, 800, "Keynote")]
    return score_day(observations, activities, Parameters(), DAY)


def test_worked_example_total_and_sides_match_scoring_md():
    b = worked_example()
    assert b.total == pytest.approx(28.31, abs=0.01)
    assert b.online == pytest.approx(15.10, abs=0.01)
    assert b.offline == pytest.approx(13.21, abs=0.01)
    assert b.online_points == pytest.approx(10.65, abs=0.01)
    assert b.offline_points == pytest.approx(9.32, abs=0.01)
    assert b.online_only == pytest.approx(16.27, abs=0.01)


def test_worked_example_shares_of_each_item_match_scoring_md():
    b = worked_example()
    shares = {item.key: b.share_of(item) for item in b.items}
    assert shares["account:1:followers"] == pytest.approx(9.36, abs=0.01)
    assert shares["account:2:followers"] == pytest.approx(5.74, abs=0.01)
    assert shares["activity:7"] == pytest.approx(13.21, abs=0.01)
    assert sum(shares.values()) == pytest.approx(b.total, abs=1e-9)


def test_worked_example_is_shown_as_28_online_15_offline_13():
    b = worked_example()
    shown, parts = display_parts(b.total, {"online": b.online, "offline": b.offline})
    assert f"{shown} = online {parts['online']} + offline {parts['offline']}" == "28 = online 15 + offline 13"


def test_worked_example_json_groups_networks_and_kinds():
    data = worked_example().to_json()
    assert data["networks"]["mastodon"]["share"] == pytest.approx(9.36, abs=0.01)
    assert data["networks"]["github"]["share"] == pytest.approx(5.74, abs=0.01)
    assert data["kinds"]["keynote"]["share"] == pytest.approx(13.21, abs=0.01)
    assert data["online_only"] == pytest.approx(16.27, abs=0.01)
    assert data["model_version"] == Parameters().version
    assert data["inputs"] == {"latest_observation": "2026-06-29", "latest_activity": "2026-03-01"}


def test_display_parts_gives_leftover_units_to_largest_remainders():
    assert display_parts(57.4, {"online": 31.45, "offline": 25.95}) == (57, {"online": 31, "offline": 26})
    shown, parts = display_parts(10.0, {"a": 3.34, "b": 3.33, "c": 3.33})
    assert shown == 10 and sum(parts.values()) == 10 and parts["a"] == 4


@pytest.mark.parametrize(
    ("network", "age", "stale"),
    [("github", 30, False), ("github", 31, True), ("manual", 90, False), ("manual", 91, True)],
)
def test_a_value_turns_stale_after_30_days_or_90_for_manual_accounts(network, age, stale):
    metric = "followers"
    obs = [ObservationInput(1, network, metric, DAY - dt.timedelta(days=age), 1000)]
    b = score_day(obs, [], Parameters(), DAY)
    assert b.items[0].stale is stale
    assert bool(b.to_json()["stale"]) is stale
    assert b.items[0].points == pytest.approx(scoring.online_points(b.parameters.weights[f"{network}.followers"], 1000))


def test_the_latest_value_on_or_before_the_day_counts():
    obs = [
        ObservationInput(1, "github", "followers", dt.date(2026, 6, 1), 10),
        ObservationInput(1, "github", "followers", dt.date(2026, 6, 20), 999),
        ObservationInput(1, "github", "followers", dt.date(2026, 7, 1), 100_000),
    ]
    b = score_day(obs, [], Parameters(), DAY)
    assert len(b.items) == 1
    assert b.items[0].points == pytest.approx(1.5 * 3)


def test_a_negative_value_counts_as_zero():
    obs = [ObservationInput(1, "hackernews", "karma", DAY, -50)]
    b = score_day(obs, [], Parameters(), DAY)
    assert b.items[0].points == 0
    assert b.total == 0


def test_metrics_not_in_the_table_score_nothing():
    obs = [
        ObservationInput(1, "github", "public_repos", DAY, 300),
        ObservationInput(2, "mastodon", "following", DAY, 5000),
    ]
    b = score_day(obs, [], Parameters(), DAY)
    assert b.items == [] and b.total == 0 and b.online == 0


def test_an_ongoing_kind_counts_fully_until_its_end_date_then_decays_from_it():
    start, end = dt.date(2024, 1, 1), dt.date(2026, 1, 1)
    act = [ActivityInput(1, "teaching", start, end, 0)]
    full = score_day([], act, Parameters(), end).offline_points
    assert full == pytest.approx(5.0)
    assert score_day([], act, Parameters(), dt.date(2025, 6, 1)).offline_points == pytest.approx(5.0)
    after_half_life = score_day([], act, Parameters(), end + dt.timedelta(days=730)).offline_points
    assert after_half_life == pytest.approx(2.5)


def test_an_ongoing_kind_without_end_date_counts_fully_forever():
    act = [ActivityInput(1, "board", dt.date(2010, 1, 1), None, 0)]
    assert score_day([], act, Parameters(), DAY).offline_points == pytest.approx(5.0)


def test_a_one_off_activity_halves_after_its_half_life():
    act = [ActivityInput(1, "talk", DAY - dt.timedelta(days=365), None, 0)]
    assert score_day([], act, Parameters(), DAY).offline_points == pytest.approx(2.0)


def test_an_activity_dated_after_the_day_counts_zero():
    act = [ActivityInput(1, "book", DAY + dt.timedelta(days=1), None, 5000)]
    b = score_day([], act, Parameters(), DAY)
    assert b.items == [] and b.total == 0


def test_audience_size_is_one_when_unknown_and_about_two_at_a_thousand():
    assert scoring.audience_size(0) == 1
    assert scoring.audience_size(1000) == pytest.approx(2.0, abs=0.01)


def test_weights_of_the_sides_scale_their_points():
    obs = [ObservationInput(1, "github", "followers", DAY, 999)]
    act = [ActivityInput(1, "talk", DAY, None, 0)]
    b = score_day(obs, act, Parameters(w_online=2.0, w_offline=0.5), DAY)
    assert b.online_points == pytest.approx(2 * 1.5 * 3)
    assert b.offline_points == pytest.approx(0.5 * 4)
    assert b.online + b.offline == pytest.approx(b.total)


@pytest.mark.parametrize(
    "kwargs",
    [{"k": 0}, {"k": -1}, {"weights": {"github.stars": -1}}, {"half_lives": {"talk": -5}}, {"w_online": -1}],
)
def test_parameters_refuse_impossible_values(kwargs):
    with pytest.raises(scoring.ParameterError):
        Parameters(**kwargs)


def test_the_version_names_the_parameters():
    assert Parameters().version == Parameters.from_overrides({}).version
    assert Parameters().version.startswith("v1-")
    changed = Parameters.from_overrides({"k": 50})
    assert changed.version != Parameters().version
    assert Parameters.from_overrides({"k": 50.0}).version == changed.version


def test_what_changed_lists_the_components_that_moved_most_first():
    before = worked_example().to_json()
    obs = [
        ObservationInput(1, "mastodon", "followers", DAY, 2000),
        ObservationInput(2, "github", "followers", DAY, 500),
    ]
    acts = [
        ActivityInput(7, "keynote", dt.date(2026, 3, 1), None, 800),
        ActivityInput(8, "book", dt.date(2026, 6, 30), None, 1000),
    ]
    after = score_day(obs, acts, Parameters(), DAY).to_json()
    movements = scoring.what_changed(before, after)
    assert movements[0].group == "book" and movements[0].change > 0
    assert {m.group for m in movements} == {"book", "keynote", "mastodon", "github"}
