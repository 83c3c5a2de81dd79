"""A Wikipedia account's first collection brings two years of daily page views, and the scores follow."""

import datetime as dt

import pytest
import time_machine

from influence.collection import collect_account
from influence.core.choices import Network
from influence.core.models import Observation, ScoreSnapshot
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
ARTICLE = "/metrics/pageviews/per-article/en.wikipedia/all-access/user/Ada_Lovelace/daily"


def views_on(day: dt.date) -> int:
    # Every seventh day is missing from the answer: the API leaves out days without views.
    return 0 if day.toordinal() % 7 == 0 else 100 + day.toordinal() % 13


def answer(start: dt.date, end: dt.date) -> dict:
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return {
        "items": [
            {"article": "Ada_Lovelace", "timestamp": f"{d:%Y%m%d}00", "views": views_on(d)}
            for d in days
            if views_on(d)
        ]
    }


def route_range(api, start: dt.date, end: dt.date) -> str:
    path = f"{ARTICLE}/{start:%Y%m%d}/{end:%Y%m%d}"
    api.route("GET", path, json=answer(start, end))
    return path


@pytest.fixture
def wikipedia(api, subject):
    yesterday = TODAY - dt.timedelta(days=1)
    history_path = route_range(api, TODAY - dt.timedelta(days=730), yesterday)
    route_range(api, TODAY - dt.timedelta(days=31), yesterday)
    account = AccountFactory(subject=subject, network=Network.WIKIPEDIA, handle="en:Ada_Lovelace")
    with time_machine.travel(NOW, tick=False):
        yield account, history_path


def first_day_with_views() -> dt.date:
    # The history starts at the first day the answer holds.
    day = TODAY - dt.timedelta(days=730)
    while not views_on(day):
        day += dt.timedelta(days=1)
    return day


def series(account, metric):
    return dict(Observation.objects.filter(account=account, metric=metric).values_list("day", "value"))


def test_the_first_collection_stores_two_years_of_daily_pageviews(wikipedia):
    account, _ = wikipedia

    outcome = collect_account(account.pk)

    first = first_day_with_views()
    daily = series(account, "pageviews")
    assert outcome.history_since == first
    assert min(daily) == first and max(daily) == TODAY
    # Days without views are stored as 0, and today's value is the latest day available.
    assert all(daily[d] == views_on(d) for d in daily if d != TODAY)
    assert daily[TODAY] == views_on(TODAY - dt.timedelta(days=1))


def test_the_30_day_sums_start_with_the_first_full_window(wikipedia):
    account, _ = wikipedia

    collect_account(account.pk)

    first = first_day_with_views()
    sums = series(account, "pageviews_30d")
    assert min(sums) == first + dt.timedelta(days=29)
    day = dt.date(2025, 3, 14)
    assert sums[day] == sum(views_on(day - dt.timedelta(days=n)) for n in range(30))
    # Every full window up to yesterday, and today's from the current answer.
    assert len(sums) == (TODAY - first).days - 29 + 1


def test_the_subject_score_is_recomputed_from_the_first_backfilled_day(wikipedia):
    account, _ = wikipedia

    collect_account(account.pk)

    days = ScoreSnapshot.objects.filter(subject=account.subject).values_list("day", flat=True)
    assert min(days) == first_day_with_views() and max(days) == TODAY
    assert len(days) == (TODAY - first_day_with_views()).days + 1
    year_ago = ScoreSnapshot.objects.get(subject=account.subject, day=TODAY - dt.timedelta(days=365))
    assert year_ago.breakdown["networks"]["wikipedia"]["points"] > 0


def test_later_collections_do_not_fetch_the_history_again(wikipedia, api):
    account, history_path = wikipedia
    collect_account(account.pk)

    collect_account(account.pk)

    assert len(api.requests_to(history_path)) == 1
    account.refresh_from_db()
    assert account.backfilled_at == NOW


def test_a_failed_history_stores_nothing_and_is_tried_again(wikipedia, api):
    account, history_path = wikipedia
    api.route("GET", history_path, json={"items": [{"timestamp": "2025010100"}]})

    collect_account(account.pk)

    assert not Observation.objects.filter(account=account).exists()
    account.refresh_from_db()
    assert account.backfilled_at is None and "views" in account.last_error
