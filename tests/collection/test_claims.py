"""Claims that lapse: a collection whose task was lost is queued again after COLLECT_CLAIM_TIMEOUT, once."""

import datetime as dt

import pytest
from django.utils import timezone

from influence.celery import app
from influence.collection import store
from influence.collection.dispatch import claim_lapsed_accounts
from influence.collection.tasks import dispatch_due_accounts, requeue_expired_claims
from influence.core.choices import Network
from influence.core.models import Account, Observation
from tests.collection.conftest import api_environment, hn_user
from tests.factories import AccountFactory
from tests.support.broker import broker_refusing, queued_messages
from tests.support.waiting import wait_until

NOW = dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def empty_queues():
    app.control.purge()
    yield
    app.control.purge()


def test_only_the_lapsed_claims_are_taken_again_keeping_their_attempt_date(subject):
    lost = AccountFactory(subject=subject, handle="lost", queued_at=NOW - dt.timedelta(minutes=11))
    old_style = AccountFactory(subject=subject, handle="deadline-passed", queued_at=NOW - dt.timedelta(hours=1),
                               claimed_until=NOW - dt.timedelta(seconds=1))
    AccountFactory(subject=subject, handle="running", queued_at=NOW - dt.timedelta(minutes=5))
    AccountFactory(subject=subject, handle="retry-ahead", queued_at=NOW - dt.timedelta(minutes=40),
                   claimed_until=NOW + dt.timedelta(minutes=3))
    AccountFactory(subject=subject, handle="idle")

    claims = claim_lapsed_accounts(NOW)

    assert claims == [(lost.pk, lost.queued_at.isoformat()), (old_style.pk, old_style.queued_at.isoformat())]
    lost.refresh_from_db()
    assert lost.queued_at == NOW - dt.timedelta(minutes=11)  # the attempt is still dated when it was queued
    assert lost.claimed_until == NOW + dt.timedelta(minutes=10)
    assert claim_lapsed_accounts(NOW) == []  # claimed again: a second run takes none


def test_the_every_minute_task_queues_each_lapsed_claim_once(subject, empty_queues, django_capture_on_commit_callbacks):
    AccountFactory.create_batch(3, subject=subject, queued_at=timezone.now() - dt.timedelta(minutes=11))
    AccountFactory(subject=subject, queued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 0
    assert queued_messages("collection") == 3


def test_lapsed_claims_wait_while_collections_are_still_queued(
    subject, empty_queues, django_capture_on_commit_callbacks
):
    """A claim that lapsed behind a backlog is most likely still queued: taken up once the queue has drained."""
    waiting = AccountFactory(subject=subject)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_accounts()
    assert queued_messages("collection") == 1
    Account.objects.filter(pk=waiting.pk).update(claimed_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 0
    app.control.purge()  # the backlog has drained (its message was lost, here)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 1
    assert queued_messages("collection") == 1


def test_a_dispatch_the_broker_refused_is_queued_again_the_next_minute(
    subject, empty_queues, django_capture_on_commit_callbacks
):
    AccountFactory.create_batch(2, subject=subject)
    with broker_refusing(), django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_accounts() == 2
    # Still claimed (not dispatched twice), lapsed at once for the requeue.
    assert Account.objects.filter(queued_at__isnull=False, claimed_until__lte=timezone.now()).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_claims() == 2
        assert dispatch_due_accounts() == 0  # claimed again: the dispatcher leaves them alone
    assert queued_messages("collection") == 2


@pytest.mark.worker
def test_a_lost_collection_is_collected_once_its_claim_lapses_on_a_real_worker(
    celery_worker_factory, api, subject, settings
):
    settings.COLLECT_CLAIM_TIMEOUT = 2
    hn_user(api, "pg", karma=1000)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="pg")
    celery_worker_factory(concurrency=1, COLLECT_CLAIM_TIMEOUT="2", **api_environment(api))
    # Claimed by a dispatcher whose message never reached a worker (lost with a killed one).
    queued_at = timezone.now()
    Account.objects.filter(pk=account.pk).update(queued_at=queued_at, claimed_until=store.claim_deadline(queued_at))

    # Within COLLECT_CLAIM_TIMEOUT (2 s here) the claim holds: the every-minute task leaves it alone.
    assert requeue_expired_claims() == 0
    wait_until(lambda: not store.subject_pending(subject.pk, timezone.now()), timeout=10, what="the claim to lapse")
    # Past it, the task queues it again, and the worker collects it.
    assert requeue_expired_claims() == 1

    def collected() -> bool:
        return not Account.objects.filter(pk=account.pk, queued_at__isnull=False).exists()

    wait_until(collected, timeout=30, what="the lost collection to be collected again")
    account.refresh_from_db()
    assert account.last_collected_at is not None and account.claimed_until is None
    assert Observation.objects.get(account=account, metric="karma").value == 1000
    assert len(api.requests_to("/user/pg.json")) == 1
