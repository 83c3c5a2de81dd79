"""Errors retrying cannot fix, on a real worker through "Collect now": they fail at once; a 503 waits for its retry.

The worker's back-off is long (15 to 30 s before a first retry) so that a
retried failure cannot pass for an immediate one. Names under `.invalid`
never resolve (RFC 6761): the operator's GitHub API host, as on a server
offline, and a Mastodon instance a user typed.
"""

import time

import pytest
from django.urls import reverse

from influence.core.choices import AccountStatus, Network
from influence.core.models import Account
from tests.collection.conftest import api_environment, state_cell
from tests.factories import AccountFactory
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker


def test_unresolvable_hosts_fail_at_once_and_a_server_error_shows_its_pending_retry(
    celery_worker_factory, api, owner_client, subject
):
    api.route("GET", "/user/busy.json", status=503)
    offline_github = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    missing_instance = AccountFactory(
        subject=subject, network=Network.MASTODON, handle="ada@social.invalid", instance_url="https://social.invalid"
    )
    busy = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="busy")
    env = api_environment(api)
    env.update(GITHUB_API_URL="https://api.github.invalid", COLLECT_BACKOFF_BASE="30", COLLECT_BACKOFF_MAX="30")
    celery_worker_factory(concurrency=3, **env)

    started = time.monotonic()
    for account in (offline_github, missing_instance, busy):
        owner_client.post(reverse("account_collect", args=[account.pk]))

    def failed_once(account: Account) -> bool:
        account.refresh_from_db()
        return account.consecutive_failures == 1 and account.queued_at is None

    wait_until(lambda: failed_once(offline_github) and failed_once(missing_instance), timeout=20,
               what="the unresolvable accounts to fail")
    assert time.monotonic() - started < 12  # no back-off of 15 s or more was waited
    assert "api.github.invalid does not resolve here" in offline_github.last_error
    assert "the host social.invalid does not exist" in missing_instance.last_error
    assert offline_github.retry_at is None and offline_github.status == AccountStatus.OK

    busy = wait_until(lambda: Account.objects.filter(pk=busy.pk, retry_at__isnull=False).first(), timeout=20,
                      what="the busy account's retry")
    assert len(api.requests_to("/user/busy.json")) == 1  # its retry waits in the broker

    page = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert state_cell(page, busy) == f"retrying (next try at {busy.retry_at:%H:%M}, attempt 1 of 2)"
    for account in (offline_github, missing_instance):  # never collected: no numbers were ever checked
        assert state_cell(page, account) == "not checked yet 1 failure in a row"
