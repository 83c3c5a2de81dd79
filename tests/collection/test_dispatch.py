"""Which accounts the hourly dispatcher queues, and that it never queues one twice."""

import datetime as dt

from django.conf import settings

from influence.celery import app
from influence.collection import claim_due_accounts, due_accounts
from influence.collection.tasks import dispatch_due_accounts
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.UTC)


def ago(**delta) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


def due_handles() -> set[str]:
    return set(due_accounts(NOW).values_list("handle", flat=True))


def test_a_new_account_and_one_collected_a_day_ago_are_due(subject):
    AccountFactory(subject=subject, handle="new")
    AccountFactory(subject=subject, handle="yesterday", last_attempt_at=ago(hours=24), last_collected_at=ago(hours=24))
    AccountFactory(subject=subject, handle="this-morning", last_attempt_at=ago(hours=3), last_collected_at=ago(hours=3))
    assert due_handles() == {"new", "yesterday"}


def test_an_account_never_collected_is_tried_again_every_hour_until_it_is(subject):
    # Saved unchecked while the network was away, its first collection failed: "collected when the network answers".
    AccountFactory(subject=subject, handle="unchecked", last_attempt_at=ago(minutes=55))
    AccountFactory(subject=subject, handle="unchecked-just-now", last_attempt_at=ago(minutes=20))
    AccountFactory(subject=subject, handle="flagged", status=AccountStatus.FAILING, last_attempt_at=ago(hours=2))
    assert due_handles() == {"unchecked"}


def test_an_account_queued_a_few_seconds_after_yesterdays_dispatch_is_due_at_the_same_hour(subject):
    AccountFactory(subject=subject, handle="late", last_attempt_at=ago(hours=23, minutes=59, seconds=50))
    assert due_handles() == {"late"}


def test_each_account_follows_its_own_interval(subject):
    AccountFactory(subject=subject, handle="six-hourly", collect_interval_hours=6, last_attempt_at=ago(hours=7),
                   last_collected_at=ago(hours=7))
    AccountFactory(subject=subject, handle="weekly", collect_interval_hours=168, last_attempt_at=ago(days=3),
                   last_collected_at=ago(days=3))
    assert due_handles() == {"six-hourly"}


def test_failing_accounts_are_tried_at_most_daily(subject):
    for status in (AccountStatus.FAILING, AccountStatus.NEEDS_KEY):
        AccountFactory(subject=subject, handle=f"{status}-recent", status=status,
                       collect_interval_hours=6, last_attempt_at=ago(hours=7))
        AccountFactory(subject=subject, handle=f"{status}-old", status=status,
                       collect_interval_hours=6, last_attempt_at=ago(hours=25))
    assert due_handles() == {"failing-old", "needs_key-old"}


def test_paused_manual_and_queued_accounts_are_not_due(subject):
    AccountFactory(subject=subject, handle="paused", status=AccountStatus.PAUSED)
    AccountFactory(subject=subject, handle="linkedin", network=Network.MANUAL)
    # Queued 30 minutes ago, its retry still ahead: claimed. Queued 11 minutes ago and never
    # finished: its claim lapsed after COLLECT_CLAIM_TIMEOUT (10 minutes), so it is due again.
    AccountFactory(subject=subject, handle="queued", queued_at=ago(minutes=30), claimed_until=ago(minutes=-5))
    AccountFactory(subject=subject, handle="lost", queued_at=ago(minutes=11), last_attempt_at=ago(days=2))
    assert due_handles() == {"lost"}


def test_claiming_marks_the_accounts_queued_so_a_second_dispatch_finds_none(subject):
    first = AccountFactory(subject=subject, handle="a")
    second = AccountFactory(subject=subject, handle="b")

    assert claim_due_accounts(NOW) == [first.pk, second.pk]
    assert set(Account.objects.values_list("queued_at", flat=True)) == {NOW}
    assert claim_due_accounts(NOW + dt.timedelta(minutes=5)) == []


def queued_messages() -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(settings.WORK_QUEUES["collection"])


def test_the_dispatcher_queues_one_task_per_due_account_after_commit(subject, django_capture_on_commit_callbacks):
    AccountFactory.create_batch(3, subject=subject)
    AccountFactory(subject=subject, status=AccountStatus.PAUSED)
    app.control.purge()

    with django_capture_on_commit_callbacks() as on_commit:
        assert dispatch_due_accounts.run(NOW.isoformat()) == 3
        assert queued_messages() == 0  # nothing before the claims are committed
    for callback in on_commit:
        callback()
    assert queued_messages() == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_accounts.run(NOW.isoformat()) == 0
    assert queued_messages() == 3
    app.control.purge()
