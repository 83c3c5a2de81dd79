"""insights.json, dismissing an unusual day, and the subject page that loads them."""

import datetime as dt
from functools import partial

import pytest
from django.urls import reverse

from influence.core.models import AnomalyDismissal
from tests.factories import SubjectFactory
from tests.insights.conftest import LIFT, SPIKE, audience_story
from tests.support.queries import query_counts

pytestmark = pytest.mark.django_db


def insights(client, subject):
    response = client.get(reverse("subject_insights", args=[subject.pk]))
    assert response.status_code == 200
    return response.json()


def test_insights_json_has_the_shape_of_the_issue(owner_client, subject, story):
    data = insights(owner_client, subject)
    assert set(data) >= {"growth", "projections", "effects", "anomalies"}
    assert set(data["growth"][0]) == {"account", "metric", "window_days", "change", "percent"}
    assert set(data["projections"][0]) >= {"account", "metric", "days_ahead", "value", "low", "high"}
    assert set(data["effects"][0]) >= {"activity", "account", "metric", "before_per_day", "after_per_day", "ratio"}
    assert set(data["anomalies"][0]) == {"account", "metric", "day", "change", "kind"}


def test_growth_is_listed_for_every_metric_and_window(owner_client, subject, story):
    data = insights(owner_client, subject)
    stars = {g["window_days"]: g for g in data["growth"] if g["metric"] == "stars"}
    # Stars grow 2 a day, from 200 + 2 * n.
    assert stars[30]["change"] == 60 and stars[90]["change"] == 180
    last = 200 + 2 * 399
    assert stars[7]["percent"] == round(100 * 14 / (last - 14), 1)
    followers = {g["window_days"]: g for g in data["growth"] if g["metric"] == "followers"}
    assert followers[7]["change"] > SPIKE  # the jump three days ago is inside the week


def test_projections_of_the_audience_only(owner_client, subject, story):
    data = insights(owner_client, subject)
    projected = {(p["account"], p["metric"], p["days_ahead"]) for p in data["projections"]}
    mastodon = story["mastodon"].pk
    assert projected == {(mastodon, "followers", 30), (mastodon, "followers", 90), (mastodon, "followers", 365)}
    for p in data["projections"]:
        assert p["low"] <= p["value"] <= p["high"]


def test_the_keynote_effect_and_the_spike_are_reported(owner_client, subject, story):
    data = insights(owner_client, subject)
    [effect] = [e for e in data["effects"] if e["activity"] == story["keynote"].pk]
    assert effect["account"] == story["mastodon"].pk and effect["metric"] == "followers"
    assert 8 <= effect["before_per_day"] <= 12
    assert effect["after_per_day"] == pytest.approx(effect["before_per_day"] + LIFT, abs=1.5)
    assert effect["ratio"] == pytest.approx(effect["after_per_day"] / effect["before_per_day"], abs=0.01)
    assert effect["flagged"] is False
    assert data["anomalies"] == [
        {"account": story["mastodon"].pk, "metric": "followers", "day": story["spike"].isoformat(),
         "change": data["anomalies"][0]["change"], "kind": "spike"}
    ]
    assert data["anomalies"][0]["change"] > SPIKE
    assert data["labels"]["activities"][str(story["keynote"].pk)]["title"] == "DataConf keynote"
    assert data["kinds"][0]["kind"] == "keynote" and data["kinds"][0]["activities"] == 1


def test_a_viewer_reads_the_insights(viewer_client, subject, story):
    assert insights(viewer_client, subject)["anomalies"]


def test_an_outsider_gets_404_for_the_insights(outsider_client, subject, story):
    assert outsider_client.get(reverse("subject_insights", args=[subject.pk])).status_code == 404


def test_insights_json_reads_a_fixed_number_of_queries_whatever_the_history(
    owner_client, workspace, django_assert_num_queries
):
    short, long = SubjectFactory(workspace=workspace), SubjectFactory(workspace=workspace)
    audience_story(short, days=90)
    audience_story(long, days=5 * 365)
    counts = query_counts(django_assert_num_queries, INSIGHTS_QUERIES, partial(insights, owner_client), (short, long))
    assert counts[0] == counts[1]


# Session, user, subject and membership (the request), then accounts, observations, activities, dismissals.
INSIGHTS_QUERIES = 8


def test_the_subject_page_reads_as_many_queries_with_a_short_or_a_long_history(
    owner_client, workspace, django_assert_max_num_queries
):
    from influence.scoring.snapshots import recompute_history

    counts = []
    for days in (40, 4 * 365):
        subject = SubjectFactory(workspace=workspace)
        audience_story(subject, days=days)
        recompute_history(subject.pk)
        with django_assert_max_num_queries(12) as queries:
            page = owner_client.get(reverse("subject_detail", args=[subject.pk]))
        assert page.status_code == 200
        counts.append(len(queries.captured_queries))
        content = page.content.decode()
        assert 'id="effects-panel"' in content and 'id="anomalies-panel"' in content
        assert reverse("subject_insights", args=[subject.pk]) in content
    assert counts[0] == counts[1]


def dismiss(client, subject, account, day):
    return client.post(
        reverse("anomaly_dismiss", args=[subject.pk]),
        {"account": account.pk, "metric": "followers", "day": day.isoformat()},
    )


def test_an_editor_dismisses_an_unusual_day_and_it_is_no_longer_listed(editor_client, editor, subject, story):
    response = dismiss(editor_client, subject, story["mastodon"], story["spike"])
    assert response.status_code == 302 and response["Location"] == reverse("subject_detail", args=[subject.pk])
    dismissal = AnomalyDismissal.objects.get()
    assert (dismissal.account, dismissal.day, dismissal.dismissed_by) == (story["mastodon"], story["spike"], editor)
    assert insights(editor_client, subject)["anomalies"] == []
    # Dismissing again changes nothing.
    dismiss(editor_client, subject, story["mastodon"], story["spike"])
    assert AnomalyDismissal.objects.count() == 1


def test_a_viewer_cannot_dismiss(viewer_client, subject, story):
    assert dismiss(viewer_client, subject, story["mastodon"], story["spike"]).status_code == 403
    assert not AnomalyDismissal.objects.exists()


def test_an_ordinary_day_or_another_subjects_account_is_not_dismissed(editor_client, workspace, subject, story):
    response = dismiss(editor_client, subject, story["mastodon"], story["spike"] - dt.timedelta(days=1))
    assert response.status_code == 302
    other = SubjectFactory(workspace=workspace)
    other_story = audience_story(other, days=120)
    dismiss(editor_client, subject, other_story["mastodon"], other_story["spike"])
    assert not AnomalyDismissal.objects.exists()
    page = editor_client.get(reverse("subject_detail", args=[subject.pk]))
    assert "Not dismissed" in page.content.decode()


def test_the_metrics_csv_gives_each_days_growth_windows(owner_client, subject, story):
    import csv
    import io

    response = owner_client.get(reverse("subject_metrics_csv", args=[subject.pk]), {"range": "30d", "metric": "stars"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header == ["day", "metric", "account", "value", "change_7d", "percent_7d", "change_30d", "percent_30d",
                      "change_90d", "percent_90d"]
    by_day = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    first = by_day[min(by_day)]
    # The range's first day still has its 90 days before it: read from before the range.
    assert first["change_90d"] == "180"
    assert first["percent_7d"] == str(round(100 * 14 / (int(first["value"]) - 14), 1))
    short = SubjectFactory(workspace=subject.workspace)
    audience_story(short, days=20)
    response = owner_client.get(reverse("subject_metrics_csv", args=[short.pk]), {"range": "all", "metric": "stars"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # No window of 30 days in 20 days of history: empty cells, not zeros.
    assert {row[6] for row in rows[1:]} == {""} and rows[-1][4] == "14"
