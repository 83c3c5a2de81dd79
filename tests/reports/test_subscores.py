"""The Online and Offline sub-scores (SCORING.md, "Sub-scores and display"), from the model's own output."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from influence import scoring
from influence.reports import series, subscores
from influence.scoring.model import saturate

DAY = dt.date(2026, 6, 30)


def _worked_example(extra_activities=()) -> scoring.Breakdown:
    observations = [
        scoring.ObservationInput(1, "mastodon", "followers", DAY, 2000, "Mastodon: jane"),
        scoring.ObservationInput(2, "github", "followers", DAY, 500, "GitHub: jane"),
    ]
    activities = [scoring.ActivityInput(31, "keynote", dt.date(2026, 3, 1), None, 800, "DataConf"), *extra_activities]
    return scoring.score_day(observations, activities, scoring.Parameters(), DAY)


def _headline(day: scoring.Breakdown) -> subscores.Headline:
    return subscores.headline(day.total, day.online, day.offline, day.online_points, day.offline_points,
                              day.parameters.k)


def test_the_worked_example_reads_28_online_16_offline_14():
    day = _worked_example()
    scores = subscores.sub_scores(day.online_points, day.offline_points, day.parameters)
    assert round(scores.online, 2) == 16.27
    assert round(scores.offline, 2) == 14.38
    shown = _headline(day)
    assert shown.sentence == "28 · Online 16 · Offline 14"
    assert shown.contributions == "28 = 15 from online + 13 from offline"
    assert "Online (16) and Offline (14)" in shown.plain and "28 is 15 from online and 13 from offline" in shown.plain


def test_an_offline_activity_moves_the_score_and_its_share_but_never_online():
    before = _headline(_worked_example())
    after = _headline(_worked_example([scoring.ActivityInput(32, "talk", dt.date(2026, 6, 1), None, 300, "Meetup")]))
    assert after.online_score == before.online_score
    assert after.offline_score > before.offline_score and after.total > before.total
    # The share of online falls although nothing online changed: why the headline never shows it.
    assert after.online_share < before.online_share


@given(online=st.floats(0, 5_000), offline=st.floats(0, 5_000), k=st.floats(1, 10_000))
def test_the_score_lies_between_the_larger_sub_score_and_their_sum(online, offline, k):
    params = scoring.Parameters(k=k)
    total = saturate(online + offline, k)
    scores = subscores.sub_scores(online, offline, params)
    assert max(scores.online, scores.offline) - 1e-9 <= total <= min(100.0, scores.online + scores.offline) + 1e-9


@given(st.dictionaries(st.integers(1, 50), st.floats(0, 100), min_size=1, max_size=8))
def test_shares_of_voice_add_up_to_100_exactly(totals):
    shares = series.shares_of_voice(totals)
    if sum(totals.values()) == 0:
        assert shares is None
        return
    assert sum(round(share * 100) for share in shares.values()) == 10_000
    assert all(0 <= share <= 100 for share in shares.values())
    # A larger score never has the smaller share (beyond the last hundredth given out).
    for a in totals:
        for b in totals:
            if totals[a] > totals[b]:
                assert shares[a] >= shares[b] - 0.01
