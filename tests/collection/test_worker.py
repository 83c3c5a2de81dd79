"""Scheduled collection end to end: the dispatcher and the account tasks on a real worker over Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from influence.collection.tasks import dispatch_due_accounts, queue_collection
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, ScoreSnapshot
from tests.collection.conftest import api_environment, github_user, hn_user
from tests.factories import AccountFactory
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker


def all_done():
    return not Account.objects.filter(queued_at__isnull=False).exists()


def last_day(account) -> dt.date | None:
    """The last day the worker dated a value of the account: its clock decides the day, not this test's."""
    return Observation.objects.filter(account=account).order_by("-day").values_list("day", flat=True).first()


def latest(account) -> dict[str, int]:
    """The account's values on its last collected day."""
    return dict(Observation.objects.filter(account=account, day=last_day(account)).values_list("metric", "value"))


def one_row_per_metric_and_day(account) -> bool:
    rows = Observation.objects.filter(account=account)
    return rows.count() == rows.values("metric").distinct().count() * rows.dates("day", "day").count()


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

    # Round 1: every account is new, so due.
    assert dispatch_due_accounts.delay(timezone.now().isoformat()).get(timeout=20) == 8
    wait_until(all_done, what="the first round of collections")

    assert latest(accounts["octocat"]) == {"followers": 120, "public_repos": 2, "stars": 12}
    assert latest(accounts["pg"]) == {"karma": 1000}
    assert latest(accounts["flaky"]) == {"karma": 7}  # a 500, then stored
    # A 429, then stored: the retry waits for Retry-After (its countdown: tests/collection/test_task.py).
    assert latest(accounts["busy"]) == {"karma": 3}
    assert len(api.requests_to("/user/busy.json")) == 2
    for handle in ("nobody", "garbled", "slow", "partial"):
        assert latest(accounts[handle]) == {}, handle
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
    # The scores are brought up to the day of the values just stored.
    assert ScoreSnapshot.objects.filter(subject=subject, day__gte=last_day(accounts["octocat"])).exists()

    # Round 2: values update (in place on the same day, one row per metric and day); a second
    # failure flags the account.
    github_user(api, "octocat", followers=125)
    api.route("GET", "/user/slow.json", json={"id": "slow", "karma": 1})
    Account.objects.update(last_attempt_at=timezone.now() - dt.timedelta(hours=25))
    assert dispatch_due_accounts.delay(timezone.now().isoformat()).get(timeout=20) == 8
    wait_until(all_done, what="the second round of collections")

    assert latest(accounts["slow"]) == {"karma": 1}  # collected for the first time
    assert latest(accounts["octocat"])["followers"] == 125
    for handle in ("octocat", "pg", "flaky", "busy", "slow"):
        assert one_row_per_metric_and_day(accounts[handle]), handle
    statuses = dict(Account.objects.values_list("handle", "status"))
    assert {h for h, s in statuses.items() if s == AccountStatus.FAILING} == {"nobody", "garbled", "partial"}

    # "Collect now" once the handle exists: back to ok.
    hn_user(api, "nobody", karma=2)
    assert queue_collection(accounts["nobody"].pk) is True
    wait_until(all_done, what="the collection of “nobody”")
    nobody = Account.objects.get(pk=accounts["nobody"].pk)
    assert nobody.status == AccountStatus.OK and nobody.consecutive_failures == 0 and nobody.last_error == ""
    assert latest(nobody) == {"karma": 2}
