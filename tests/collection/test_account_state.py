"""The account's state on the subject page: honest while a collection is under way, retrying or lost.

The retries are the task's own (run in process as a worker would, its retry
published then purged), against the fake API; the page is the real one.
"""

import datetime as dt

import pytest
import time_machine
from celery.exceptions import Retry
from django.urls import reverse

from influence.collection.status import account_state, local_zone
from influence.core.choices import AccountStatus, Network
from tests.collection.conftest import hn_user, run_collect_task, state_cell
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 30, 12, 30, tzinfo=dt.UTC)
PARIS = local_zone("Europe/Paris")  # UTC+2 in June


@pytest.fixture
def reader(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


@pytest.fixture
def claimed(subject, api):
    return AccountFactory(
        subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=NOW, last_collected_at=NOW
    )


def test_while_a_retry_waits_the_account_shows_retrying_with_the_next_try_in_the_readers_zone(
    owner_client, reader, subject, claimed, api, settings
):
    settings.COLLECT_BACKOFF_BASE, settings.COLLECT_BACKOFF_MAX, settings.COLLECT_MAX_RETRIES = 60, 60, 5
    api.route("GET", "/user/pg.json", status=503)

    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Retry) as retry:
            run_collect_task(claimed.pk, attempt=1)
        page = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()

    claimed.refresh_from_db()
    next_try = NOW + dt.timedelta(seconds=retry.value.when)
    assert claimed.retry_at == next_try and claimed.retry_attempt == 2
    local = next_try.astimezone(PARIS)
    assert local.hour == 14  # 12:30 UTC plus 30 to 60 s, read in Paris
    cell = state_cell(page, claimed)
    assert cell == f"retrying (next try at {local:%H:%M}, attempt 2 of 5)"
    assert "OK" not in cell and "collecting" not in cell
    assert "server error (HTTP 503)" in page  # why, meanwhile


def collect_twice_and_read_the_page(owner_client, subject, claimed) -> str:
    """A first try that fails and is retried, then the retry, then the subject's page."""
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Retry):
            run_collect_task(claimed.pk)
        run_collect_task(claimed.pk, attempt=1)
        return owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()


def test_once_the_retry_succeeds_the_account_is_ok_again_and_the_retry_is_forgotten(
    owner_client, reader, subject, claimed, api, settings
):
    api.route("GET", "/user/pg.json", responses=[{"status": 502}, {"json": {"id": "pg", "karma": 9}}])
    page = collect_twice_and_read_the_page(owner_client, subject, claimed)

    claimed.refresh_from_db()
    assert claimed.retry_at is None and claimed.retry_attempt == 0 and claimed.last_error == ""
    assert state_cell(page, claimed) == "OK"


def test_after_the_last_retry_the_failure_is_recorded_and_shown_as_failed_not_ok(
    owner_client, subject, claimed, api, settings
):
    settings.COLLECT_MAX_RETRIES = 1
    api.route("GET", "/user/pg.json", status=500)
    page = collect_twice_and_read_the_page(owner_client, subject, claimed)

    claimed.refresh_from_db()
    assert claimed.status == AccountStatus.OK and claimed.consecutive_failures == 1  # not yet flagged failing
    assert claimed.retry_at is None and claimed.queued_at is None
    assert state_cell(page, claimed) == "last try failed 1 failure in a row"


@pytest.mark.parametrize(
    ("error", "handle"),
    [("name", "pg"), ("404", "ghost"), ("400", "bad")],
)
def test_an_error_retrying_cannot_fix_fails_at_once_without_a_retry(subject, api, settings, error, handle):
    if error == "name":
        settings.HACKERNEWS_API_URL = "http://hn.invalid/v0"
    api.route("GET", "/user/ghost.json", status=404, json=None)
    api.route("GET", "/user/bad.json", status=400, json={})
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle=handle, queued_at=NOW)

    with time_machine.travel(NOW, tick=False):
        line = run_collect_task(account.pk)  # no Retry raised

    account.refresh_from_db()
    assert "failed" in line
    assert account.consecutive_failures == 1 and account.queued_at is None and account.retry_at is None
    if error == "name":
        assert "hn.invalid does not resolve" in account.last_error


def test_collecting_lasts_only_while_the_claim_is_live(settings, subject):
    settings.COLLECT_CLAIM_TIMEOUT = 600
    account = AccountFactory(
        subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=NOW, last_collected_at=NOW,
        claimed_until=NOW + dt.timedelta(seconds=600),
    )
    utc = local_zone("UTC")

    assert account_state(account, NOW + dt.timedelta(minutes=9), utc).label == "collecting…"
    # The task was lost (a killed worker): the claim lapsed and the badge with it.
    assert account_state(account, NOW + dt.timedelta(minutes=11), utc).label == "OK"


def test_a_retry_whose_moment_came_is_collecting_and_a_lapsed_one_is_not_shown(settings, subject):
    account = AccountFactory(
        subject=subject, network=Network.HACKERNEWS, handle="pg", queued_at=NOW, last_collected_at=NOW,
        retry_at=NOW + dt.timedelta(minutes=2), retry_attempt=1, claimed_until=NOW + dt.timedelta(minutes=12),
    )
    utc = local_zone("UTC")

    assert account_state(account, NOW, utc).label == "retrying"
    assert account_state(account, NOW + dt.timedelta(minutes=3), utc).label == "collecting…"
    assert account_state(account, NOW + dt.timedelta(minutes=13), utc).label == "OK"


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"status": AccountStatus.PAUSED, "queued_at": NOW}, "Paused"),
        ({"status": AccountStatus.FAILING, "consecutive_failures": 5}, "Failing"),
        ({"status": AccountStatus.NEEDS_KEY}, "Needs an API key"),
        ({"consecutive_failures": 1, "last_error": "GitHub had a server error"}, "last try failed"),
        ({"last_collected_at": None, "last_error": "Not checked yet: offline."}, "not checked yet"),
        ({"last_collected_at": None}, "not collected yet"),
        ({}, "OK"),
    ],
)
def test_each_state_has_one_badge(subject, fields, label):
    account = AccountFactory.build(
        subject=subject, network=Network.GITHUB, handle="octocat", **{"last_collected_at": NOW, **fields}
    )
    assert account_state(account, NOW, local_zone("UTC")).label == label


def test_an_unknown_zone_reads_as_utc():
    assert local_zone("Mars/Olympus") == local_zone("UTC")


def test_the_retry_counts_stay_in_the_pages_fixed_number_of_queries(
    owner_client, subject, claimed, django_assert_max_num_queries, api
):
    hn_user(api, "pg", karma=1)
    url = reverse("subject_detail", args=[subject.pk])
    owner_client.get(url)
    with django_assert_max_num_queries(40) as queries:
        owner_client.get(url)
    count = len(queries)
    for n in range(5):
        AccountFactory(subject=subject, network=Network.GITHUB, handle=f"user{n}", queued_at=NOW,
                       retry_at=NOW + dt.timedelta(minutes=n), retry_attempt=n)
    with django_assert_max_num_queries(count):
        owner_client.get(url)
