"""Wikipedia: daily user pageviews of an article, the latest day, 30 days, and two years of history."""

from datetime import date

import pytest

from influence.connectors import BadResponse, NotFound, get_connector
from influence.connectors.wikipedia import WikipediaConnector, parse_daily, summarize
from tests.connectors.conftest import serve, stored
from tests.connectors.scenarios import WIKIPEDIA_PATH, route_wikipedia


def test_daily_items_become_views_per_day():
    daily = parse_daily(stored("wikipedia", "daily.json"))
    assert daily[date(2026, 10, 19)] == 1019
    assert daily[date(2026, 11, 18)] == 1018
    assert date(2026, 11, 2) not in daily  # a day without views is absent
    assert len(daily) == 30


def test_latest_day_and_the_30_days_before_today():
    daily = parse_daily(stored("wikipedia", "daily.json"))
    metrics = summarize(daily, today=date(2026, 11, 20))
    # Oct 21..31 = 11 days (11000 + 286), Nov 1..18 without the 2nd = 17 days (17000 + 169).
    assert metrics == {"pageviews": 1018, "pageviews_30d": 28455}


def test_no_items_at_all_is_a_bad_response():
    with pytest.raises(BadResponse):
        summarize({}, today=date(2026, 11, 20))
    with pytest.raises(BadResponse, match="timestamp"):
        parse_daily({"items": [{"timestamp": "yesterday", "views": 3}]})


def test_fetch_asks_for_the_31_days_before_today(api, frozen):
    scenario = route_wikipedia(api)
    assert get_connector("wikipedia").fetch(scenario.handle) == scenario.expected
    assert api.requests[0].path == WIKIPEDIA_PATH


def test_history_returns_daily_views_of_the_last_two_years(api, frozen):
    path = "/metrics/pageviews/per-article/de.wikipedia/all-access/user/AC%2FDC/daily/20241120/20261119"
    serve(api, "wikipedia", path, "daily.json")
    history = get_connector("wikipedia").fetch_history("de:AC/DC")
    assert len(history) == 30
    assert history[date(2026, 11, 1)] == 1001
    assert [r.path for r in api.requests] == [path]


def test_an_article_without_pageviews_is_not_found(api, frozen):
    path = "/metrics/pageviews/per-article/en.wikipedia/all-access/user/No_Such_Article_Xyz/daily/20261020/20261119"
    serve(api, "wikipedia", path, "error_not_found.json", status=404)
    with pytest.raises(NotFound, match="no pageviews for “No_Such_Article_Xyz” on en.wikipedia"):
        get_connector("wikipedia").fetch("No Such Article Xyz")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("Ada Lovelace", "en:Ada_Lovelace"),
        ("en:Ada_Lovelace", "en:Ada_Lovelace"),
        ("de:ada Lovelace", "de:Ada_Lovelace"),
        ("Star Wars: A New Hope", "en:Star_Wars:_A_New_Hope"),
        ("fr:Star Wars: Un nouvel espoir", "fr:Star_Wars:_Un_nouvel_espoir"),
        ("https://de.wikipedia.org/wiki/Ada_Lovelace", "de:Ada_Lovelace"),
        ("https://en.wikipedia.org/wiki/Caf%C3%A9", "en:Café"),
    ],
)
def test_handles_as_users_type_them(handle, expected):
    assert WikipediaConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "en:", "Foo#Bar", "https://example.com/wiki/Ada"])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(ValueError):
        WikipediaConnector.normalize_handle(handle)
