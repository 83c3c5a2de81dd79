"""Account pages: the panel, adding (checked live), editing, pausing, deleting, "collect now", manual counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation
from tests.collection.conftest import github_user, observations
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def account(subject):
    return AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat", last_collected_at=NOW,
                          status=AccountStatus.FAILING, consecutive_failures=5, last_error="GitHub had a server error")


@pytest.fixture
def manual(subject):
    return AccountFactory(subject=subject, network=Network.MANUAL, handle="jane-doe", label="LinkedIn")


def add(client, subject, **data):
    return client.post(reverse("account_create", args=[subject.pk]), data, follow=True)


def test_the_subject_page_lists_each_account_with_its_state_and_the_editors_actions(owner_client, subject, account):
    page = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "octocat" in page and "Failing" in page and "2026-06-30 09:00" in page
    assert "GitHub had a server error" in page and "5 failures in a row" in page
    for name in ("account_collect", "account_edit", "account_pause", "account_delete"):
        assert reverse(name, args=[account.pk]) in page
    assert reverse("account_create", args=[subject.pk]) in page


def test_viewers_see_the_accounts_without_any_action(viewer_client, subject, account, manual):
    page = viewer_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "octocat" in page and "LinkedIn" in page
    assert reverse("account_collect", args=[account.pk]) not in page
    assert reverse("account_counts", args=[manual.pk]) not in page
    assert reverse("account_create", args=[subject.pk]) not in page


def test_an_account_error_is_shown_escaped(owner_client, subject):
    AccountFactory(subject=subject, last_error="<script>alert(1)</script>")
    page = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_adding_an_account_checks_the_handle_and_stores_its_first_numbers(owner_client, subject, api):
    github_user(api, "octocat", followers=120, stars=(5,))

    response = add(owner_client, subject, network="github", handle="https://github.com/octocat")

    account = Account.objects.get(subject=subject)
    assert account.handle == "octocat" and account.last_collected_at == NOW
    assert observations(account) == {("followers", TODAY): 120, ("public_repos", TODAY): 2, ("stars", TODAY): 5}
    assert response.redirect_chain[-1][0].endswith("#accounts")
    assert "Added GitHub: octocat with its current numbers." in response.content.decode()
    assert subject.snapshots.filter(day=TODAY).exists()


def test_a_handle_the_network_does_not_know_is_refused_with_a_clear_message(owner_client, subject, api):
    api.route("GET", "/users/nobody", status=404, json={"message": "Not Found"})

    response = add(owner_client, subject, network="github", handle="nobody")

    assert "there is no user “nobody”" in response.content.decode()
    assert not Account.objects.exists()


def test_a_network_that_needs_a_missing_key_says_where_to_enter_it(owner_client, subject, api, settings):
    settings.YOUTUBE_API_KEY = ""

    response = add(owner_client, subject, network="youtube", handle="@somebody")

    page = response.content.decode()
    assert "YouTube needs an API key" in page and "workspace&#x27;s API credentials" in page
    assert not Account.objects.exists()


def test_a_network_that_does_not_answer_in_time_adds_nothing(owner_client, subject, api):
    api.route("GET", "/users/slow", delay=1.5, json={})

    response = add(owner_client, subject, network="github", handle="slow")

    assert "did not answer in time" in response.content.decode() and "try again" in response.content.decode()
    assert not Account.objects.exists()


def test_a_handle_against_the_network_rules_is_refused_before_any_request(owner_client, subject, api):
    response = add(owner_client, subject, network="github", handle="not a login!")
    assert "Enter a GitHub login" in response.content.decode()
    assert api.requests == [] and not Account.objects.exists()


def test_the_same_account_cannot_be_added_twice(owner_client, subject, account, api):
    response = add(owner_client, subject, network="github", handle="octocat")
    assert "already has this GitHub account" in response.content.decode()
    assert Account.objects.count() == 1 and api.requests == []


def test_adding_a_wikipedia_article_queues_its_first_collection_for_the_history(
    owner_client, subject, api, django_capture_on_commit_callbacks
):
    path = "/metrics/pageviews/per-article/en.wikipedia/all-access/user/Ada_Lovelace/daily/20260530/20260629"
    api.route("GET", path, json={"items": [{"timestamp": "2026062900", "views": 40}]})

    with django_capture_on_commit_callbacks() as queued:
        response = add(owner_client, subject, network="wikipedia", handle="Ada Lovelace")

    account = Account.objects.get(subject=subject)
    assert account.handle == "en:Ada_Lovelace" and account.queued_at == NOW
    assert len(queued) == 1 and "its history is being collected" in response.content.decode()


def test_a_manual_account_needs_its_platform_and_leads_to_its_counts(owner_client, subject, api):
    response = add(owner_client, subject, network="manual", handle="jane-doe")
    assert "Name the platform" in response.content.decode()

    response = add(owner_client, subject, network="manual", handle="jane-doe", label="LinkedIn")

    account = Account.objects.get(subject=subject)
    assert response.redirect_chain[-1][0] == reverse("account_counts", args=[account.pk])
    assert api.requests == []
    # The counts form says which of its five numbers scores.
    html = response.content.decode()
    followers = html.split('name="followers"')[1].split("</div>")[0]
    assert "The only count that scores" in followers
    assert html.count("does not score") == 4


def test_counts_are_stored_for_an_earlier_day_and_the_score_recomputed_from_it(
    owner_client, manual, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = owner_client.post(
            reverse("account_counts", args=[manual.pk]),
            {"day": "2026-06-01", "followers": "1500", "posts": "12", "following": ""}, follow=True,
        )

    assert observations(manual) == {("followers", dt.date(2026, 6, 1)): 1500, ("posts", dt.date(2026, 6, 1)): 12}
    assert "Saved the counts of LinkedIn: jane-doe for 2026-06-01." in response.content.decode()
    assert len(queued) == 1
    manual.refresh_from_db()
    assert manual.last_collected_at == NOW


def test_counts_entered_again_for_a_day_replace_those_of_that_day(owner_client, manual):
    ObservationFactory(account=manual, metric="followers", day=TODAY, value=100)
    owner_client.post(reverse("account_counts", args=[manual.pk]), {"day": TODAY.isoformat(), "followers": "110"})
    assert observations(manual) == {("followers", TODAY): 110}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"day": "2026-07-01", "followers": "10"}, "cannot be dated in the future"),
        ({"day": "30/06/2026", "followers": "10"}, "Enter a valid date"),
        ({"day": "2026-06-30", "followers": ""}, "This field is required"),
        ({"day": "2026-06-30", "followers": "-3"}, "greater than or equal to 0"),
        ({"day": "2026-06-30", "followers": "12", "views": "many"}, "Enter a whole number"),
    ],
)
def test_bad_counts_are_refused_with_a_message_and_nothing_stored(owner_client, manual, data, message):
    response = owner_client.post(reverse("account_counts", args=[manual.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Observation.objects.exists()


def test_only_manual_accounts_have_a_counts_form(owner_client, account):
    assert owner_client.get(reverse("account_counts", args=[account.pk])).status_code == 404


def test_editing_the_interval_keeps_the_handle_without_a_check(owner_client, account, api):
    response = owner_client.post(
        reverse("account_edit", args=[account.pk]), {"handle": "octocat", "collect_interval_hours": "6"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.collect_interval_hours == 6 and api.requests == []


def test_a_new_handle_is_checked_and_starts_afresh(owner_client, account, api):
    github_user(api, "hubot", followers=9)
    owner_client.post(reverse("account_edit", args=[account.pk]), {"handle": "hubot", "collect_interval_hours": "24"})
    account.refresh_from_db()
    assert account.handle == "hubot" and account.status == AccountStatus.OK and account.consecutive_failures == 0
    assert observations(account)[("followers", TODAY)] == 9


def test_pause_then_resume_keeps_the_failing_flag_until_a_success(owner_client, account):
    owner_client.post(reverse("account_pause", args=[account.pk]))
    account.refresh_from_db()
    assert account.status == AccountStatus.PAUSED

    response = owner_client.post(reverse("account_resume", args=[account.pk]), follow=True)
    account.refresh_from_db()
    assert account.status == AccountStatus.FAILING
    assert "still flagged as failing" in response.content.decode()


def test_delete_asks_first_then_removes_the_account_and_its_numbers(
    owner_client, account, django_capture_on_commit_callbacks
):
    ObservationFactory(account=account)
    page = owner_client.get(reverse("account_delete", args=[account.pk]))
    assert "with its 1 stored value" in page.content.decode() and Account.objects.exists()

    with django_capture_on_commit_callbacks() as queued:
        owner_client.post(reverse("account_delete", args=[account.pk]))

    assert not Account.objects.exists() and not Observation.objects.exists()
    assert len(queued) == 1  # the score history, recomputed without it


def test_collect_now_queues_one_collection(owner_client, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = owner_client.post(reverse("account_collect", args=[account.pk]), follow=True)
        second = owner_client.post(reverse("account_collect", args=[account.pk]), follow=True)

    assert len(queued) == 1
    assert "Collecting GitHub: octocat now" in first.content.decode()
    assert "already on its way" in second.content.decode()


def test_collect_now_refuses_paused_and_manual_accounts(
    owner_client, account, manual, django_capture_on_commit_callbacks
):
    account.status = AccountStatus.PAUSED
    account.save()
    with django_capture_on_commit_callbacks() as queued:
        paused = owner_client.post(reverse("account_collect", args=[account.pk]), follow=True)
        by_hand = owner_client.post(reverse("account_collect", args=[manual.pk]), follow=True)
    assert queued == []
    assert "resume it first" in paused.content.decode() and "entered by hand" in by_hand.content.decode()


CHANGES = [
    ("account_edit", "post"), ("account_edit", "get"), ("account_pause", "post"), ("account_resume", "post"),
    ("account_delete", "get"), ("account_delete", "post"), ("account_collect", "post"), ("account_counts", "get"),
    ("account_counts", "post"),
]


@pytest.mark.parametrize("name, method", CHANGES)
def test_viewers_get_403_on_every_change_and_nothing_changes(viewer_client, manual, name, method):
    before = list(Account.objects.values())
    response = getattr(viewer_client, method)(reverse(name, args=[manual.pk]), {"day": "2026-06-30", "followers": 1})
    assert response.status_code == 403
    assert list(Account.objects.values()) == before and not Observation.objects.exists()


@pytest.mark.parametrize("name, method", [*CHANGES, ("account_create", "get"), ("account_create", "post")])
def test_outsiders_get_404_for_accounts_of_another_workspace(outsider_client, manual, name, method):
    pk = manual.subject_id if name == "account_create" else manual.pk
    response = getattr(outsider_client, method)(reverse(name, args=[pk]), {"network": "manual", "handle": "x"})
    assert response.status_code == 404
    assert Account.objects.count() == 1


def test_viewers_cannot_add_an_account(viewer_client, subject):
    assert viewer_client.get(reverse("account_create", args=[subject.pk])).status_code == 403
    response = viewer_client.post(reverse("account_create", args=[subject.pk]), {"network": "manual", "handle": "x"})
    assert response.status_code == 403 and not Account.objects.exists()


def test_collect_now_with_an_account_id_of_another_workspace_is_404_and_queues_nothing(
    owner_client, django_capture_on_commit_callbacks
):
    elsewhere = AccountFactory(subject=SubjectFactory())
    with django_capture_on_commit_callbacks() as queued:
        response = owner_client.post(reverse("account_collect", args=[elsewhere.pk]))
    assert response.status_code == 404 and queued == []
    elsewhere.refresh_from_db()
    assert elsewhere.queued_at is None


def test_the_subject_page_lists_accounts_in_a_fixed_number_of_queries(
    owner_client, subject, django_assert_max_num_queries
):
    AccountFactory.create_batch(3, subject=subject)
    with django_assert_max_num_queries(40) as few:
        owner_client.get(reverse("subject_detail", args=[subject.pk]))
    AccountFactory.create_batch(10, subject=subject)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("subject_detail", args=[subject.pk]))
