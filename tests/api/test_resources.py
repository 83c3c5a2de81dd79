"""The API's resources as a client uses them: lists with paging, search and ordering; changes through
the pages' own rules; scores with their sub-scores."""

import datetime as dt
import math

from django.utils import timezone

from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Activity, Observation, Subject
from influence.scoring.snapshots import compute_snapshot
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, SubjectFactory


def test_subjects_are_paged_with_links(owner_api, workspace):
    for n in range(5):
        SubjectFactory(workspace=workspace, name=f"Client {n}")
    first = owner_api.get("/api/v1/subjects/?page_size=2").json()
    assert first["count"] == 5
    assert [s["name"] for s in first["results"]] == ["Client 0", "Client 1"]
    assert first["previous"] is None
    second = owner_api.get(first["next"]).json()
    assert [s["name"] for s in second["results"]] == ["Client 2", "Client 3"]


def test_subjects_search_and_order(owner_api, workspace):
    for name in ("Alice Agency", "bob builder", "Alicia Keys"):
        SubjectFactory(workspace=workspace, name=name)
    found = owner_api.get("/api/v1/subjects/?search=ALIC&ordering=-name").json()["results"]
    assert [s["name"] for s in found] == ["Alicia Keys", "Alice Agency"]
    response = owner_api.get("/api/v1/subjects/?ordering=shoe-size")
    assert response.status_code == 400
    assert "ordering" in response.json()["error"]["details"]


def test_subjects_ordered_by_score_put_unscored_last(owner_api, workspace):
    scored = SubjectFactory(workspace=workspace, name="Scored")
    ObservationFactory(account=AccountFactory(subject=scored), value=5000, day=timezone.now().date())
    compute_snapshot(scored.pk, timezone.now().date())
    SubjectFactory(workspace=workspace, name="Not yet")
    rows = owner_api.get("/api/v1/subjects/?ordering=-score").json()["results"]
    assert [r["name"] for r in rows] == ["Scored", "Not yet"]
    assert rows[0]["score"] > 0 and rows[1]["score"] is None
    assert rows[0]["score_day"] == timezone.now().date().isoformat()


def test_subjects_filter_and_order_by_change_as_on_the_home_page(owner_api, workspace):
    today = timezone.now().date()
    for name, start, end in (("Rising", 100, 5000), ("Flat", 800, 800)):
        subject = SubjectFactory(workspace=workspace, name=name)
        account = AccountFactory(subject=subject)
        for day, value in ((today - dt.timedelta(days=7), start), (today, end)):
            ObservationFactory(account=account, day=day, value=value)
            compute_snapshot(subject.pk, day)
    AccountFactory(subject=SubjectFactory(workspace=workspace, name="Broken"), status=AccountStatus.FAILING)
    rows = owner_api.get("/api/v1/subjects/?ordering=-change_7d").json()["results"]
    assert [r["name"] for r in rows] == ["Rising", "Flat", "Broken"]
    assert rows[0]["change_7d"] > 0 and rows[1]["change_7d"] == 0 and rows[2]["change_7d"] is None
    failing = owner_api.get("/api/v1/subjects/?only=failing").json()["results"]
    assert [r["name"] for r in failing] == ["Broken"]
    assert owner_api.get("/api/v1/subjects/?only=everything").status_code == 400


def test_subject_create_rename_delete(editor_api, workspace):
    created = editor_api.post("/api/v1/subjects/", {"workspace": workspace.pk, "name": "  New client "}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert Subject.objects.get(pk=pk).name == "New client"
    blank = editor_api.patch(f"/api/v1/subjects/{pk}/", {"name": "   "}, format="json")
    assert blank.status_code == 400
    assert blank.json()["error"]["details"] == {"name": ["A subject needs a name."]}
    assert editor_api.patch(f"/api/v1/subjects/{pk}/", {"name": "Renamed"}, format="json").json()["name"] == "Renamed"
    assert editor_api.delete(f"/api/v1/subjects/{pk}/").status_code == 204
    assert not Subject.objects.filter(pk=pk).exists()


def test_manual_account_counts_pause_resume_delete(editor_api, subject):
    response = editor_api.post(
        f"/api/v1/subjects/{subject.pk}/accounts/", {"network": "manual", "handle": " Jane on X ", "label": "X"},
        format="json",
    )
    assert response.status_code == 201, response.content
    account = response.json()
    assert (account["network"], account["handle"], account["status"]) == ("manual", "Jane on X", "ok")
    again = editor_api.post(
        f"/api/v1/subjects/{subject.pk}/accounts/", {"network": "manual", "handle": "Jane on X", "label": "X"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["error"]["details"]["handle"] == ["Jane Doe already has this account."]

    day = timezone.now().date() - dt.timedelta(days=1)
    counts = editor_api.post(
        f"/api/v1/accounts/{account['id']}/counts/", {"day": day.isoformat(), "counts": {"followers": 1200}},
        format="json",
    )
    assert counts.status_code == 200, counts.content
    assert Observation.objects.get(account_id=account["id"], metric="followers", day=day).value == 1200
    future = editor_api.post(
        f"/api/v1/accounts/{account['id']}/counts/",
        {"day": (timezone.now().date() + dt.timedelta(days=2)).isoformat(), "counts": {"followers": 1}},
        format="json",
    )
    assert future.status_code == 400
    assert future.json()["error"]["details"]["counts"] == ["Counts cannot be dated in the future."]

    assert editor_api.post(f"/api/v1/accounts/{account['id']}/pause/").json()["status"] == AccountStatus.PAUSED
    assert editor_api.post(f"/api/v1/accounts/{account['id']}/resume/").json()["status"] == AccountStatus.OK
    assert editor_api.delete(f"/api/v1/accounts/{account['id']}/").status_code == 204
    assert not Account.objects.filter(pk=account["id"]).exists()


def test_an_account_handle_is_checked_like_the_form(editor_api, subject):
    response = editor_api.post(
        f"/api/v1/subjects/{subject.pk}/accounts/", {"network": "stackexchange", "handle": "not:an:id"},
        format="json",
    )
    assert response.status_code == 400
    assert "handle" in response.json()["error"]["details"]
    assert not Account.objects.filter(network=Network.STACKEXCHANGE).exists()


def test_counts_only_for_manual_accounts(editor_api, subject):
    account = AccountFactory(subject=subject)
    response = editor_api.post(
        f"/api/v1/accounts/{account.pk}/counts/", {"day": "2026-01-01", "counts": {"followers": 1}}, format="json"
    )
    assert response.status_code == 400


def test_activities_filter_by_kind_and_dates(owner_api, subject):
    ActivityFactory(subject=subject, kind="talk", title="Old talk", date=dt.date(2025, 1, 10))
    ActivityFactory(subject=subject, kind="talk", title="New talk", date=dt.date(2026, 2, 10))
    ActivityFactory(subject=subject, kind="book", title="A book", date=dt.date(2026, 3, 1))
    url = f"/api/v1/subjects/{subject.pk}/activities/"
    assert [a["title"] for a in owner_api.get(url).json()["results"]] == ["A book", "New talk", "Old talk"]
    assert [a["title"] for a in owner_api.get(url + "?kind=talk").json()["results"]] == ["New talk", "Old talk"]
    ranged = owner_api.get(url + "?from=2026-01-01&to=2026-02-28").json()["results"]
    assert [a["title"] for a in ranged] == ["New talk"]
    assert owner_api.get(url + "?from=2026-13-01").status_code == 400


def test_activity_values_are_checked_by_the_forms_rules(editor_api, subject):
    url = f"/api/v1/subjects/{subject.pk}/activities/"
    response = editor_api.post(
        url, {"kind": "talk", "title": "Talk", "date": "01/03/2026", "audience": -5, "url": "ftp://x"}, format="json"
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details["date"] == ["Enter the date as YYYY-MM-DD, for example 2026-03-01."]
    assert details["audience"] == ["The audience cannot be negative."]
    assert details["url"] == ["Enter a full web address starting with http:// or https://."]
    assert not Activity.objects.exists()


def test_activity_create_update_delete(editor_api, subject):
    url = f"/api/v1/subjects/{subject.pk}/activities/"
    created = editor_api.post(
        url, {"kind": "keynote", "title": "Keynote", "date": "2026-03-01", "audience": 800, "notes": "private"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    duplicate = editor_api.post(url, {"kind": "keynote", "title": "Keynote", "date": "2026-03-01"}, format="json")
    assert duplicate.status_code == 400
    patched = editor_api.patch(f"/api/v1/activities/{pk}/", {"audience": 900}, format="json").json()
    assert (patched["audience"], patched["title"], patched["notes"]) == (900, "Keynote", "private")
    replaced = editor_api.put(
        f"/api/v1/activities/{pk}/", {"kind": "talk", "title": "Talk", "date": "2026-03-02"}, format="json"
    ).json()
    assert (replaced["kind"], replaced["audience"], replaced["notes"]) == ("talk", 0, "")
    assert editor_api.delete(f"/api/v1/activities/{pk}/").status_code == 204
    assert not Activity.objects.filter(pk=pk).exists()


def test_bulk_create_is_all_or_nothing(editor_api, subject):
    url = f"/api/v1/subjects/{subject.pk}/activities/bulk/"
    items = [
        {"kind": "talk", "title": "One", "date": "2026-01-01"},
        {"kind": "talk", "title": "Two", "date": "2026-13-01"},
        {"kind": "party", "title": "", "date": "2026-01-03"},
    ]
    refused = editor_api.post(url, {"activities": items}, format="json")
    assert refused.status_code == 400
    details = refused.json()["error"]["details"]
    assert set(details) == {"activities.1.date", "activities.2.kind", "activities.2.title"}
    assert details["activities.1.date"] == ["2026-13-01 is not a day of the calendar."]
    assert not Activity.objects.exists()

    items[1]["date"], items[2] = "2026-01-02", {"kind": "book", "title": "Three", "date": "2026-01-03"}
    created = editor_api.post(url, {"activities": items}, format="json")
    assert created.status_code == 201
    assert created.json()["created"] == 3
    assert [a["title"] for a in created.json()["results"]] == ["One", "Two", "Three"]
    assert Activity.objects.filter(subject=subject).count() == 3
    # The same again: every item is now a duplicate, and nothing more is stored.
    again = editor_api.post(url, {"activities": items}, format="json")
    assert again.status_code == 400
    assert Activity.objects.filter(subject=subject).count() == 3


def test_bulk_create_takes_at_most_500(editor_api, subject):
    items = [{"kind": "talk", "title": f"T{n}", "date": "2026-01-01"} for n in range(501)]
    response = editor_api.post(f"/api/v1/subjects/{subject.pk}/activities/bulk/", {"activities": items}, format="json")
    assert response.status_code == 400
    assert "at most 500" in response.json()["error"]["details"]["activities"][0]
    ok = editor_api.post(f"/api/v1/subjects/{subject.pk}/activities/bulk/", {"activities": items[:500]}, format="json")
    assert ok.status_code == 201
    assert Activity.objects.filter(subject=subject).count() == 500


def test_scores_over_a_range_with_sub_scores(owner_api, subject):
    today = timezone.now().date()
    account = AccountFactory(subject=subject, network=Network.MASTODON, handle="jane@example.social")
    for days_ago in (2, 1, 0):
        ObservationFactory(account=account, day=today - dt.timedelta(days=days_ago), value=2000)
    ActivityFactory(subject=subject, kind="keynote", audience=800, date=today - dt.timedelta(days=30))
    for days_ago in (2, 1, 0):
        compute_snapshot(subject.pk, today - dt.timedelta(days=days_ago))
    url = f"/api/v1/subjects/{subject.pk}/scores/"
    rows = owner_api.get(f"{url}?from={(today - dt.timedelta(days=1)).isoformat()}").json()["results"]
    assert [r["day"] for r in rows] == [(today - dt.timedelta(days=1)).isoformat(), today.isoformat()]
    row = rows[-1]
    assert math.isclose(row["online_share"] + row["offline_share"], row["total"], abs_tol=1e-9)
    # SCORING.md: each sub-score is the saturation of that side's weighted points with K (60 by default).
    assert math.isclose(row["online_score"], 100 * (1 - math.exp(-row["online_points"] / 60)))
    assert math.isclose(row["offline_score"], 100 * (1 - math.exp(-row["offline_points"] / 60)))
    assert max(row["online_score"], row["offline_score"]) <= row["total"] <= row["online_score"] + row["offline_score"]

    day = owner_api.get(f"{url}{today.isoformat()}/").json()
    assert day["total"] == row["total"]
    assert [g["name"] for g in day["networks"]] == ["mastodon"]
    assert [g["name"] for g in day["kinds"]] == ["keynote"]
    assert math.isclose(sum(g["share"] for g in day["networks"] + day["kinds"]), day["total"], abs_tol=0.01)
    assert owner_api.get(f"{url}2001-01-01/").status_code == 404
    assert owner_api.get(f"{url}2001-02-31/").status_code == 400
