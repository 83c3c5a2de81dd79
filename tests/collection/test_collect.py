"""Collecting one account in process, against the fake API: what is stored, what is recorded."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from influence.collection import collect_account, store
from influence.connectors import TemporaryError
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, ScoreSnapshot
from influence.scoring import snapshots
from influence.workspaces.credentials import set_credential
from tests.collection.conftest import github_user, hn_user, observations
from tests.factories import AccountFactory, ActivityFactory, SubjectFactory
from tests.support.waiting import wait_until

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_collection_stores_every_metric_of_the_answer_dated_today(api, subject, frozen):
    github_user(api, "octocat", followers=120, public_repos=3, stars=(5, 7))
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")

    outcome = collect_account(account.pk)

    assert outcome.result == "stored"
    # The fork's 1,000 stars are not the user's.
    assert observations(account) == {("followers", TODAY): 120, ("public_repos", TODAY): 3, ("stars", TODAY): 12}
    account.refresh_from_db()
    assert account.status == AccountStatus.OK
    assert account.last_collected_at == NOW and account.last_attempt_at == NOW
    assert account.last_error == "" and account.queued_at is None


def test_a_second_collection_the_same_day_updates_the_values_and_adds_no_rows(api, subject, frozen):
    github_user(api, "octocat", followers=120)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    collect_account(account.pk)
    github_user(api, "octocat", followers=125)
    frozen.shift(dt.timedelta(hours=3))

    collect_account(account.pk)

    assert Observation.objects.filter(account=account).count() == 3
    assert observations(account)[("followers", TODAY)] == 125


def test_the_next_day_adds_a_row_per_metric(api, subject, frozen):
    github_user(api, "octocat", followers=120)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    collect_account(account.pk)
    frozen.shift(dt.timedelta(days=1))

    collect_account(account.pk)

    assert Observation.objects.filter(account=account).count() == 6


def test_an_unknown_user_is_recorded_on_the_account_without_a_retry(api, subject, frozen):
    api.route("GET", "/user/nobody.json", json=None)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="nobody")

    outcome = collect_account(account.pk, final=False)

    assert outcome.result == "failed"
    assert len(api.requests_to("/user/nobody.json")) == 1
    account.refresh_from_db()
    assert "no user “nobody”" in account.last_error
    assert account.consecutive_failures == 1 and account.last_collected_at is None
    assert not Observation.objects.filter(account=account).exists()


def test_invalid_json_is_recorded_as_a_bad_answer_without_a_retry(api, subject, frozen):
    api.route("GET", "/user/garbled.json", body=b"{not json")
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="garbled")

    collect_account(account.pk, final=False)

    account.refresh_from_db()
    assert "not JSON" in account.last_error
    assert len(api.requests_to("/user/garbled.json")) == 1


def test_a_missing_field_on_a_later_page_stores_nothing_of_the_answer(api, subject, frozen):
    github_user(api, "partial", followers=50)
    api.route("GET", "/users/partial/repos", json=[{"name": "r", "fork": False}])
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="partial")

    collect_account(account.pk)

    # followers came in the first answer, but the collection as a whole failed.
    assert not Observation.objects.filter(account=account).exists()
    account.refresh_from_db()
    assert "stargazers_count" in account.last_error


def test_a_failure_keeps_the_values_of_an_earlier_collection(api, subject, frozen):
    hn_user(api, "pg", karma=100)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg")
    collect_account(account.pk)
    api.route("GET", "/user/pg.json", json={"id": "pg"})
    frozen.shift(dt.timedelta(hours=1))

    collect_account(account.pk)

    assert observations(account) == {("karma", TODAY): 100}
    account.refresh_from_db()
    assert account.last_collected_at == NOW and "karma" in account.last_error


def test_a_server_error_is_left_to_the_caller_to_retry_until_the_final_attempt(api, subject, frozen):
    api.route("GET", "/user/busy.json", status=503)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="busy")

    with pytest.raises(TemporaryError):
        collect_account(account.pk, final=False)
    account.refresh_from_db()
    assert account.consecutive_failures == 0 and account.last_error == ""

    outcome = collect_account(account.pk, final=True)
    assert outcome.result == "failed"
    account.refresh_from_db()
    assert account.consecutive_failures == 1 and "HTTP 503" in account.last_error


def test_a_retry_after_longer_than_the_maximum_is_recorded_at_once(api, subject, frozen, settings):
    settings.COLLECT_RETRY_AFTER_MAX = 60
    api.route("GET", "/user/limited.json", status=429, headers={"Retry-After": "7200"})
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="limited")

    outcome = collect_account(account.pk, final=False)

    assert outcome.result == "failed" and "retry after 7200 s" in outcome.error


def test_an_account_is_failing_after_the_configured_failures_and_ok_after_a_success(api, subject, frozen):
    api.route("GET", "/user/flaky.json", json={"id": "flaky"})
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="flaky")

    collect_account(account.pk)
    account.refresh_from_db()
    assert account.status == AccountStatus.OK and account.consecutive_failures == 1
    collect_account(account.pk)  # COLLECT_FAILING_AFTER is 2 here
    account.refresh_from_db()
    assert account.status == AccountStatus.FAILING and account.consecutive_failures == 2

    hn_user(api, "flaky", karma=5)
    collect_account(account.pk)
    account.refresh_from_db()
    assert account.status == AccountStatus.OK
    assert account.consecutive_failures == 0 and account.last_error == ""


def test_a_network_without_its_key_marks_the_account_needs_key(api, subject, frozen, settings):
    settings.YOUTUBE_API_KEY = ""
    account = AccountFactory(subject=subject, network=Network.YOUTUBE, handle="UCabcdefghijklmnopqrstuv")

    outcome = collect_account(account.pk)

    assert outcome.status == AccountStatus.NEEDS_KEY
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_KEY and "API key" in account.last_error


def test_a_paused_account_is_not_collected_and_stays_paused(api, subject, frozen):
    hn_user(api, "pg", karma=100)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", status=AccountStatus.PAUSED)

    outcome = collect_account(account.pk)

    assert outcome.result == "skipped"
    assert api.requests == []
    account.refresh_from_db()
    assert account.status == AccountStatus.PAUSED and account.last_attempt_at is None


def test_a_pause_during_a_failing_collection_wins(subject, settings):
    settings.COLLECT_FAILING_AFTER = 1
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="gone")
    # The worker loaded the account; then a user paused it before the outcome was written.
    Account.objects.filter(pk=account.pk).update(status=AccountStatus.PAUSED)
    store.record_failure(account, "gone", needs_key=False, now=NOW)

    account.refresh_from_db()
    assert account.status == AccountStatus.PAUSED and account.consecutive_failures == 1


def test_the_workspace_token_is_sent_instead_of_the_environments(api, subject, frozen, settings):
    settings.GITHUB_TOKEN = "environment-token-0000"
    set_credential(subject.workspace, "github_token", "workspace-token-1234")
    github_user(api, "octocat", followers=1)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")

    collect_account(account.pk)

    sent = {r.headers.get("Authorization") for r in api.requests}
    assert sent == {"Bearer workspace-token-1234"}


def test_the_environment_token_is_used_when_the_workspace_has_none(api, subject, frozen, settings):
    settings.GITHUB_TOKEN = "environment-token-0000"
    set_credential(SubjectFactory().workspace, "github_token", "another-workspace-token")
    github_user(api, "octocat", followers=1)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")

    collect_account(account.pk)

    assert {r.headers.get("Authorization") for r in api.requests} == {"Bearer environment-token-0000"}


def test_the_last_account_of_a_subject_to_finish_recomputes_its_score_once(api, subject, frozen):
    github_user(api, "octocat", followers=500)
    hn_user(api, "pg", karma=1000)
    first = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat", queued_at=CLAIMED)
    last = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=CLAIMED)

    assert collect_account(first.pk).subject_done is False
    assert not ScoreSnapshot.objects.filter(subject=subject).exists()
    assert collect_account(last.pk).subject_done is True

    snapshot = ScoreSnapshot.objects.get(subject=subject, day=TODAY)
    assert set(snapshot.breakdown["networks"]) == {"github", "hackernews"}


def test_the_score_a_collection_stores_becomes_the_subjects_latest_score(api, subject, frozen):
    ScoreSnapshot.objects.create(subject=subject, day=TODAY - dt.timedelta(days=7), total=1.0, online=1.0,
                                 offline=0, online_points=1, offline_points=0, model_version="old")
    github_user(api, "octocat", followers=5000)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat", queued_at=CLAIMED)

    assert collect_account(account.pk).subject_done is True

    snapshot = ScoreSnapshot.objects.get(subject=subject, day=TODAY)
    subject.refresh_from_db()
    assert (subject.score_day, subject.score_total) == (TODAY, snapshot.total)
    assert subject.score_change_7d == round(snapshot.total) - 1 and subject.score_change_7d > 0


def test_the_score_a_collection_stores_is_the_one_the_subject_page_explains(api, subject, frozen):
    subject.workspace.score_parameters = {"w_offline": 2.5, "weights": {"hackernews.karma": 3.0}}
    subject.workspace.save()
    ActivityFactory(subject=subject, date=TODAY - dt.timedelta(days=3), audience=400)
    ActivityFactory(subject=subject, date=TODAY + dt.timedelta(days=3), audience=900)  # not yet: not counted
    older = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="old")
    Observation.objects.create(account=older, metric="karma", day=TODAY - dt.timedelta(days=40), value=300)
    hn_user(api, "pg", karma=1000)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=CLAIMED)

    assert collect_account(account.pk).subject_done is True

    snapshot = ScoreSnapshot.objects.get(subject=subject, day=TODAY)
    assert snapshot.breakdown == snapshots.explain_day(subject, TODAY).to_json()
    assert snapshot.breakdown["kinds"] and snapshot.breakdown["networks"]["hackernews"]["count"] == 2


CLAIMED = NOW - dt.timedelta(minutes=5)


def test_an_account_still_queued_holds_its_subjects_score_back(subject):
    AccountFactory(subject=subject, queued_at=CLAIMED)
    assert store.subject_pending(subject.pk, NOW) is True


def test_a_claim_older_than_a_lost_task_holds_nothing_back(subject):
    # COLLECT_CLAIM_TIMEOUT (10 minutes) after it was queued, not 6 hours.
    AccountFactory(subject=subject, queued_at=NOW - dt.timedelta(minutes=10, seconds=1))
    assert store.subject_pending(subject.pk, NOW) is False


def test_a_claim_lapses_when_its_deadline_passes_and_a_retry_moves_it_on(subject):
    account = AccountFactory(subject=subject, queued_at=NOW - dt.timedelta(minutes=30), claimed_until=NOW)
    assert store.subject_pending(subject.pk, NOW) is False
    # A retry planned 15 minutes ahead keeps the claim until COLLECT_CLAIM_TIMEOUT after it starts.
    store.extend_claim(account.pk, 900, NOW)
    account.refresh_from_db()
    assert account.claimed_until == NOW + dt.timedelta(seconds=900 + 600)
    assert store.subject_pending(subject.pk, NOW + dt.timedelta(seconds=1499)) is True
    assert store.subject_pending(subject.pk, NOW + dt.timedelta(seconds=1500)) is False


def a_lock_wait_in(database: str) -> bool:
    with connection.cursor() as cursor:
        # Activity statistics are read once per transaction unless their snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [database]
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_accounts_of_a_subject_finishing_together_take_turns_and_the_last_scores_it(api, subject):
    hn_user(api, "pg", karma=1000)
    first = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=CLAIMED)
    second = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="gone", queued_at=CLAIMED)
    outcomes = []

    def collect_first():
        try:
            outcomes.append(collect_account(first.pk, NOW))
        finally:
            connection.close()

    worker = threading.Thread(target=collect_first)
    with store.finishing(subject.pk):
        # The second account's outcome is being written: the first, done meanwhile, waits for it.
        store.record_failure(second, "gone", needs_key=False, now=NOW)
        worker.start()
        database = connection.settings_dict["NAME"]
        wait_until(lambda: a_lock_wait_in(database), what="the first account to wait for the lock", timeout=10)
        # The first account is still queued, so the second does not score the subject.
        assert store.subject_pending(subject.pk, NOW) is True
    worker.join(timeout=30)

    assert [o.subject_done for o in outcomes] == [True]
    assert ScoreSnapshot.objects.get(subject=subject, day=TODAY).breakdown["networks"]["hackernews"]["count"] == 1
    assert not Account.objects.filter(queued_at__isnull=False).exists()
