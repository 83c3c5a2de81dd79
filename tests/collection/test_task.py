"""The account task's policy, run in process: when it retries, after how long, and when it gives up."""

import datetime as dt

import pytest
import time_machine
from celery.exceptions import Retry

from influence.collection import ratelimit
from influence.collection.tasks import collect_account_task
from influence.core.choices import Network
from influence.core.models import Observation
from tests.collection.conftest import hn_user, run_collect_task
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(subject, api):
    with time_machine.travel(NOW, tick=False):
        yield AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=NOW)


def retry_of(account_id: int, attempt: int = 0):
    """The delay of the retry the task asked for, and the call it scheduled."""
    with pytest.raises(Retry) as retry:
        run_collect_task(account_id, attempt)
    return retry.value.when, retry.value.sig.kwargs


def test_a_server_error_is_retried_after_a_jittered_backoff_counting_one_attempt(account, api, settings):
    settings.COLLECT_BACKOFF_BASE, settings.COLLECT_BACKOFF_MAX = 10, 100
    api.route("GET", "/user/pg.json", status=502)

    when, kwargs = retry_of(account.pk, attempt=1)

    assert 10 <= when <= 20  # base * 2**1, jittered between half and all of it
    assert kwargs == {"attempt": 2, "claim": None}
    # The claim holds until COLLECT_CLAIM_TIMEOUT after the retry is due, so it is not queued twice.
    account.refresh_from_db()
    assert account.claimed_until == NOW + dt.timedelta(seconds=when + 600)
    account.refresh_from_db()
    assert account.consecutive_failures == 0 and account.queued_at == NOW  # still under way


def test_a_429_is_retried_no_sooner_than_its_retry_after(account, api, settings):
    settings.COLLECT_BACKOFF_BASE, settings.COLLECT_BACKOFF_MAX = 1, 4
    api.route("GET", "/user/pg.json", status=429, headers={"Retry-After": "30"})

    when, _ = retry_of(account.pk)

    assert 30 <= when <= 31


def test_the_last_attempt_records_the_failure_instead_of_retrying(account, api, settings):
    api.route("GET", "/user/pg.json", status=503)

    line = run_collect_task(account.pk, attempt=settings.COLLECT_MAX_RETRIES)

    assert "HTTP 503" in line
    account.refresh_from_db()
    assert account.consecutive_failures == 1 and account.queued_at is None
    assert not Observation.objects.filter(account=account).exists()


def test_a_used_up_rate_limit_requeues_for_later_without_a_request_or_an_attempt(account, api, settings):
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    settings.COLLECT_RATE_LIMITS = "hackernews=1/m"
    hn_user(api, "pg", karma=5)
    ratelimit.reserve("hackernews")  # another worker took this minute's only collection

    when, kwargs = retry_of(account.pk, attempt=1)

    assert 0 < when <= 2 * 60 and kwargs == {"attempt": 1, "claim": None}
    assert api.requests == []


def test_a_rate_limit_wait_longer_than_the_cap_goes_back_to_the_dispatcher(account, api, settings):
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    settings.COLLECT_RATE_LIMITS = "hackernews=1/h"
    hn_user(api, "pg", karma=5)
    ratelimit.reserve("hackernews")  # this hour's only collection is taken: the wait passes COLLECT_MAX_WAIT

    line = run_collect_task(account.pk)

    assert "left to the dispatcher" in line
    account.refresh_from_db()
    # Released without counting an attempt: the next hourly dispatch finds it due and claims it again.
    assert account.queued_at is None and account.claimed_until is None
    assert account.consecutive_failures == 0 and account.last_attempt_at is None
    assert api.requests == []


def test_a_task_whose_claim_was_released_by_another_copy_collects_nothing(subject, api):
    hn_user(api, "pg", karma=5)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=None)

    line = collect_account_task.run(account.pk, claim=NOW.isoformat())

    assert "not claimed" in line
    assert api.requests == [] and not Observation.objects.filter(account=account).exists()


def test_a_task_carrying_its_claim_collects_and_releases_it(account, api):
    hn_user(api, "pg", karma=5)
    with time_machine.travel(NOW, tick=False):
        line = collect_account_task.run(account.pk, claim=NOW.isoformat())
    assert "stored" in line
    account.refresh_from_db()
    assert account.queued_at is None and Observation.objects.filter(account=account).exists()


def test_an_error_before_the_collection_starts_releases_the_claim(account, api, settings):
    settings.COLLECT_RATE_LIMITS_ENABLED = True
    settings.COLLECT_RATE_LIMITS = "hackernews=often"  # unreadable: raises before anything is fetched

    with pytest.raises(ValueError, match="COLLECT_RATE_LIMITS"):
        run_collect_task(account.pk)

    account.refresh_from_db()
    assert account.queued_at is None and account.claimed_until is None


def test_a_deleted_account_ends_quietly(db):
    assert "deleted" in run_collect_task(999_999)
