"""Chart data endpoints: the score series, account metrics, markers, downsampling, payload size, CSV."""

import csv
import datetime as dt
import io
import math

import pytest
from django.urls import reverse

from influence.core.models import Observation, ScoreSnapshot
from influence.scoring.snapshots import today
from tests.dashboard.history import build_history

pytestmark = pytest.mark.django_db
PAYLOAD_LIMIT = 150 * 1024
CHART_QUERIES = 6
# The metrics CSV also reads the days before the range that its growth columns start from.
# The score series also reads the days the workspace's scoring parameters were saved (its markers).
EXTRA_QUERIES = {"subject_metrics_csv": 1, "subject_series": 1}


def _series(client, subject, **params):
    return client.get(reverse("subject_series", args=[subject.pk]), params)


def test_thirty_days_are_sent_day_by_day_with_the_stored_scores(owner_client, recent, subject):
    data = _series(owner_client, subject, range="30d").json()
    assert data["range"]["step"] == "day"
    assert len(data["days"]) == 30
    assert data["days"][-1] == today().isoformat()
    latest = ScoreSnapshot.objects.get(subject=subject, day=today())
    assert data["total"][-1] == round(latest.total, 2)
    assert data["online_share"][-1] == round(latest.online, 2)
    assert data["offline_points"][-1] == round(latest.offline_points, 2)
    # The sub-scores are the stored points saturated with the K in force (the breakdown's own online-only score).
    assert data["online_score"][-1] == round(latest.breakdown["online_only"], 2)
    assert data["offline_score"][-1] == round(100 * (1 - math.exp(-latest.offline_points / 60)), 2)
    # The stacked shares add up to the total; the score lies between the larger sub-score and their sum.
    assert all(abs(on + off - t) <= 0.011 for on, off, t in zip(data["online_share"], data["offline_share"],
                                                                data["total"], strict=True))
    assert all(max(on, off) - 0.011 <= t <= on + off + 0.011
               for on, off, t in zip(data["online_score"], data["offline_score"], data["total"], strict=True))
    # No bare "online" or "offline": both meanings are named apart.
    assert not {"online", "offline", "online_only"} & set(data)


def test_all_five_years_are_weekly_and_stay_under_150_kb(owner_client, five_years, subject):
    response = _series(owner_client, subject, range="all")
    data = response.json()
    assert len(response.content) < PAYLOAD_LIMIT
    assert data["range"]["step"] == "week"
    assert data["range"]["from"] == five_years["start"].isoformat()
    days = [dt.date.fromisoformat(d) for d in data["days"]]
    weeks = [d.isocalendar()[:2] for d in days]
    assert len(weeks) == len(set(weeks))  # one point per ISO week
    assert 260 <= len(days) <= 262
    # Each point is the week's last stored day: a Sunday, except the current week's today.
    assert all(d.weekday() == 6 for d in days[:-1])
    assert days[-1] == today()


def test_a_year_is_daily_and_custom_dates_beyond_a_year_are_weekly(owner_client, five_years, subject):
    assert len(_series(owner_client, subject, range="1y").json()["days"]) == 365
    end = today() - dt.timedelta(days=100)
    start = end - dt.timedelta(days=700)
    data = _series(owner_client, subject, range="custom", **{"from": start.isoformat(), "to": end.isoformat()}).json()
    assert data["range"] == {"key": "custom", "from": start.isoformat(), "to": end.isoformat(), "step": "week"}
    assert data["days"][-1] <= end.isoformat() and data["days"][0] >= start.isoformat()


def test_markers_are_the_activities_within_the_range(owner_client, recent, subject):
    data = _series(owner_client, subject, range="1y").json()
    since = today() - dt.timedelta(days=364)
    expected = sorted((a.date.isoformat(), a.title) for a in recent["activities"] if a.date >= since)
    assert expected
    assert sorted((m["date"], m["title"]) for m in data["markers"]) == expected
    assert all(m["kind_label"] for m in data["markers"])


def test_a_bad_range_gets_a_clear_error(owner_client, recent, subject):
    response = _series(owner_client, subject, range="custom", to="yesterday")
    assert response.status_code == 400
    assert "is not a date for to" in response.json()["error"]


def test_the_series_csv_has_every_series_shown(owner_client, recent, subject):
    response = owner_client.get(reverse("subject_series_csv", args=[subject.pk]), {"range": "90d"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    columns = ["total", "online_score", "offline_score", "online_share", "offline_share", "online_points",
               "offline_points"]
    assert rows[0] == ["day", *columns]
    assert len(rows) == 91
    json_data = _series(owner_client, subject, range="90d").json()
    assert rows[-1] == [json_data["days"][-1], *(str(json_data[k][-1]) for k in columns)]
    # The same endpoint with format=csv answers the same.
    assert _series(owner_client, subject, range="90d", format="csv").content == response.content


def test_metrics_give_one_chart_per_metric_with_a_line_per_account(owner_client, recent, subject):
    response = owner_client.get(reverse("subject_metrics", args=[subject.pk]), {"range": "90d"})
    data = response.json()
    by_metric = {c["metric"]: c for c in data["charts"]}
    assert set(by_metric) == {"followers", "engagements_30d", "stars"}
    followers = {line["label"]: line for line in by_metric["followers"]["lines"]}
    assert set(followers) == {"Mastodon: jane@example.social", "GitHub: jane"}  # the manual one is older
    latest = Observation.objects.get(account=recent["mastodon"], metric="followers", day=today())
    assert followers["Mastodon: jane@example.social"]["values"][-1] == latest.value
    assert len(followers["GitHub: jane"]["days"]) == 90


def test_all_metrics_over_five_years_are_weekly_and_stay_under_150_kb(owner_client, five_years, subject):
    response = owner_client.get(reverse("subject_metrics", args=[subject.pk]), {"range": "all"})
    assert len(response.content) < PAYLOAD_LIMIT
    data = response.json()
    assert data["range"]["step"] == "week"
    line = data["charts"][0]["lines"][0]
    assert len(line["days"]) <= 262


def test_the_metrics_csv_can_be_narrowed_to_one_metric(owner_client, recent, subject):
    response = owner_client.get(reverse("subject_metrics_csv", args=[subject.pk]), {"range": "30d", "metric": "stars"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["day", "metric", "account", "value"]
    assert {r[1] for r in rows[1:]} == {"stars"} and len(rows) == 31


@pytest.mark.parametrize("name", ["subject_series", "subject_series_csv", "subject_metrics", "subject_metrics_csv"])
def test_an_outsider_gets_404_for_chart_data(outsider_client, subject, name):
    assert outsider_client.get(reverse(name, args=[subject.pk])).status_code == 404


def test_a_viewer_reads_chart_data(viewer_client, recent, subject):
    assert _series(viewer_client, subject, range="all").status_code == 200


def test_chart_endpoint_query_count_does_not_grow_with_five_years_of_data(
    owner_client, five_years, subject, django_assert_max_num_queries
):
    # Session, user, the subject, the user's memberships, and what the endpoint draws: the
    # snapshots and the activity markers, or the observations. A month or five years, the same.
    for name in ("subject_series", "subject_series_csv", "subject_metrics", "subject_metrics_csv"):
        counts = []
        for range_key in ("30d", "all"):
            with django_assert_max_num_queries(CHART_QUERIES + EXTRA_QUERIES.get(name, 0)) as queries:
                response = owner_client.get(reverse(name, args=[subject.pk]), {"range": range_key})
            assert response.status_code == 200
            counts.append(len(queries.captured_queries))
        assert counts[0] == counts[1], name


def test_without_a_range_a_new_subject_is_drawn_from_its_first_day_and_the_csv_agrees(owner_client, subject):
    build_history(subject, today(), years=40 / 365)
    first = ScoreSnapshot.objects.filter(subject=subject).order_by("day").first().day
    data = _series(owner_client, subject).json()
    assert data["range"]["key"] == "all" and data["range"]["from"] == first.isoformat()
    assert data["days"][0] == first.isoformat() and data["range"]["step"] == "day"
    rows = list(csv.reader(io.StringIO(
        owner_client.get(reverse("subject_series_csv", args=[subject.pk])).content.decode())))
    assert [row[0] for row in rows[1:]] == data["days"]
    metrics = owner_client.get(reverse("subject_metrics", args=[subject.pk])).json()
    assert metrics["range"]["key"] == "all"
    # The page draws the same range: its configuration names it and its links ask for it.
    html = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert '"range": "all"' in html and 'data-range="all" href="?range=all" aria-current="true"' in html


def test_without_a_range_a_longer_history_is_drawn_over_the_last_year(owner_client, recent, subject):
    data = _series(owner_client, subject).json()
    assert data["range"]["key"] == "1y" and len(data["days"]) == 365
