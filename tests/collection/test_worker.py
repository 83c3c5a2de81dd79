"""Scheduled collection end to end: the dispatcher and the account tasks on a real worker over Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from influence.collection.tasks import dispatch_due_accounts, queue_collection
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, ScoreSnapshot
from tests.collection.conftest import api_environment, github_user, hn_user, observations, wait_for
from tests.factories import AccountFactory

pytestmark = pytest.mark.worker


def all_done():
    return not Account.objects.filter(queued_at__isnull=False).exists()


def test_dispatched_collections_store_retry_record_and_recover_on_a_real_worker(
    celery_worker_factory, api, subject
):
    github_user(api, "octocat", followers=120, stars=(5, 7))
    hn_user(api, "pg", karma=1000)
    api.route("GET", "/user/flaky.json", responses=[{"status": 500}, {"json": {"id": "flaky", "karma": 7}}])
    api.route(
        "GET", "/user/busy.json",
        responses=[{"status": 429, "headers": {"Retry-After": "1"}}, {"json": {"id": "busy", "karma": 3}}],
    )
    api.route("GET", "/user/nobody.json", json=None)
    api.route("GET", "/user/garbled.json", body=b"{not json")
    api.route("GET", "/user/slow.json", delay=2, json={"id": "slow", "karma": 1})
    github_user(api, "partial", followers=50)
    api.route("GET", "/users/partial/repos", json=[{"name": "r", "fork": False}])
    accounts = {
        handle: AccountFactory(subject=subject, network=network, handle=handle)
        for network, handle in [
            (Network.GITHUB, "octocat"), (Network.HACKERNEWS, "pg"), (Network.HACKERNEWS, "flaky"),
            (Network.HACKERNEWS, "busy"), (Network.HACKERNEWS, "nobody"), (Network.HACKERNEWS, "garbled"),
            (Network.HACKERNEWS, "slow"), (Network.GITHUB, "partial"),
        ]
    }
    celery_worker_factory(concurrency=4, **api_environment(api))
    today = timezone.now().date()

    # Round 1: every account is new, so due.
    assert dispatch_due_accounts.delay(timezone.now().isoformat()).get(timeout=20) == 8
    wait_for(all_done)

    assert observations(accounts["octocat"]) == {
        ("followers", today): 120, ("public_repos", today): 2, ("stars", today): 12,
    }
    assert observations(accounts["pg"]) == {("karma", today): 1000}
    assert observations(accounts["flaky"]) == {("karma", today): 7}  # a 500, then stored
    assert observations(accounts["busy"]) == {("karma", today): 3}
    first, second = api.requests.times_of("/user/busy.json")
    assert second - first >= 1.0  # Retry-After honoured
    for handle in ("nobody", "garbled", "slow", "partial"):
        assert observations(accounts[handle]) == {}, handle
    failed = {a.handle: a for a in Account.objects.filter(consecutive_failures=1)}
    assert set(failed) == {"nobody", "garbled", "slow", "partial"}
    assert "no user “nobody”" in failed["nobody"].last_error
    assert "not JSON" in failed["garbled"].last_error
    assert "did not answer in time" in failed["slow"].last_error
    assert "stargazers_count" in failed["partial"].last_error
    # Not found and bad answers are not retried; a timeout is, up to COLLECT_MAX_RETRIES (2).
    assert len(api.requests_to("/user/nobody.json")) == 1
    assert len(api.requests_to("/user/garbled.json")) == 1
    assert len(api.requests_to("/user/slow.json")) == 3
    assert ScoreSnapshot.objects.filter(subject=subject, day=today).exists()
    rows = Observation.objects.count()

    # Round 2, the same day: values update, no row is added; a second failure flags the account.
    github_user(api, "octocat", followers=125)
    api.route("GET", "/user/slow.json", json={"id": "slow", "karma": 1})
    Account.objects.update(last_attempt_at=timezone.now() - dt.timedelta(hours=25))
    assert dispatch_due_accounts.delay(timezone.now().isoformat()).get(timeout=20) == 8
    wait_for(all_done)

    assert Observation.objects.count() == rows + 1  # only "slow", collected for the first time
    assert observations(accounts["octocat"])[("followers", today)] == 125
    statuses = dict(Account.objects.values_list("handle", "status"))
    assert {h for h, s in statuses.items() if s == AccountStatus.FAILING} == {"nobody", "garbled", "partial"}

    # "Collect now" once the handle exists: back to ok.
    hn_user(api, "nobody", karma=2)
    assert queue_collection(accounts["nobody"].pk) is True
    wait_for(all_done)
    nobody = Account.objects.get(pk=accounts["nobody"].pk)
    assert nobody.status == AccountStatus.OK and nobody.consecutive_failures == 0 and nobody.last_error == ""
    assert observations(nobody) == {("karma", today): 2}
