"""Properties of the score model that must hold for any inputs (hypothesis)."""

import datetime as dt
from operator import attrgetter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.scoring.model import ActivityInput, ObservationInput, score_day
from influence.scoring.parameters import DEFAULT_BASES, DEFAULT_WEIGHTS, Parameters
from influence.scoring.sweep import score_history

DAY = dt.date(2026, 6, 30)
by_key = attrgetter("key")
PAIRS = [key.split(".") for key in DEFAULT_WEIGHTS] + [["github", "public_repos"], ["mastodon", "following"]]
NETWORKS = sorted({network for network, _ in PAIRS})
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))

observations = st.lists(
    st.builds(
        # An account belongs to one network: its id is derived from the network's.
        lambda acc, pair, day, value: ObservationInput(
            NETWORKS.index(pair[0]) * 10 + acc, pair[0], pair[1], day, value
        ),
        st.integers(1, 3), st.sampled_from(PAIRS), days, st.integers(-1000, 10**9),
    ),
    max_size=12,
    # The database keeps one value per account, metric and day.
    unique_by=lambda o: (o.account_id, o.metric, o.day),
)
activities = st.lists(
    st.builds(
        lambda pk, kind, day, length, audience: ActivityInput(
            pk, kind, day, day + dt.timedelta(days=length) if length is not None else None, audience
        ),
        st.integers(1, 10**6), st.sampled_from(sorted(DEFAULT_BASES)), days,
        st.one_of(st.none(), st.integers(0, 900)), st.integers(0, 10**8),
    ),
    max_size=8,
    unique_by=lambda a: a.activity_id,
)
parameters = st.builds(
    lambda k, w_on, w_off: Parameters(k=k, w_online=w_on, w_offline=w_off),
    st.floats(1, 1000), st.floats(0, 10), st.floats(0, 10),
)


@given(observations, activities, parameters, days)
def test_the_total_stays_between_0_and_100(obs, acts, params, day):
    total = score_day(obs, acts, params, day).total
    assert 0 <= total <= 100


@given(observations, activities, parameters, days)
def test_the_shares_add_up_to_the_total(obs, acts, params, day):
    b = score_day(obs, acts, params, day)
    assert b.online + b.offline == pytest.approx(b.total, abs=1e-9)
    assert sum(b.share_of(item) for item in b.items) == pytest.approx(b.total, abs=1e-9)
    data = b.to_json()
    groups = sum(g["share"] for g in data["networks"].values()) + sum(g["share"] for g in data["kinds"].values())
    assert groups == pytest.approx(b.total, abs=1e-3)


@given(observations, activities, st.integers(0, 10**9), st.integers(1, 10**6))
def test_more_followers_never_lowers_the_score(obs, acts, followers, more):
    before = obs + [ObservationInput(99, "mastodon", "followers", DAY, followers)]
    after = obs + [ObservationInput(99, "mastodon", "followers", DAY, followers + more)]
    assert score_day(after, acts, Parameters(), DAY).total >= score_day(before, acts, Parameters(), DAY).total


@given(activities.filter(bool), days, st.integers(1, 2000))
def test_an_activity_never_gains_points_as_it_ages(acts, day, later):
    act = acts[0]
    earlier = score_day([], [act], Parameters(), max(day, act.date)).offline_points
    aged = score_day([], [act], Parameters(), max(day, act.date) + dt.timedelta(days=later)).offline_points
    assert aged <= earlier


@given(activities.filter(bool), st.integers(1, 1000))
def test_an_activity_dated_after_the_day_counts_zero(acts, before):
    act = acts[0]
    b = score_day([], [act], Parameters(), act.date - dt.timedelta(days=before))
    assert b.offline_points == 0 and b.items == []


@given(observations, activities, parameters, days)
def test_the_same_inputs_always_give_the_same_breakdown(obs, acts, params, day):
    first = score_day(obs, acts, params, day).to_json()
    again = score_day(list(reversed(obs)), list(reversed(acts)), params, day).to_json()
    assert first == again


@settings(max_examples=40)
@given(observations, activities, days, st.integers(0, 60))
def test_score_history_gives_what_score_day_gives_for_every_day(obs, acts, first, length):
    last = first + dt.timedelta(days=length)
    history = list(score_history(obs, acts, Parameters(), first, last))
    assert [b.day for b in history] == [first + dt.timedelta(days=n) for n in range(length + 1)]
    for b in history:
        expected = score_day(obs, acts, Parameters(), b.day)
        assert b.to_json() == expected.to_json()
        assert (b.total, b.online, b.offline) == (expected.total, expected.online, expected.offline)
        assert sorted(b.items, key=by_key) == sorted(expected.items, key=by_key)
