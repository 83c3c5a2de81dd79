"""The mail server down during the weekly email, then up: each user gets exactly one email.

Unlike the other fault tests this one needs no private PostgreSQL or Redis: what fails is the SMTP
server, which is the test's own (a real aiosmtpd on a free port, closed at first). The workers run
the prefork pool, as in production.
"""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from influence.celery import app
from influence.core.choices import Role
from influence.core.models import Digest
from tests.digests.conftest import give_history
from tests.factories import MembershipFactory, UserFactory
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.worker]

# A Wednesday noon in UTC, far from any user's week boundary.
MIDWEEK = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def send_now_queued() -> None:
    """`send_weekly_digests --now --queue` at MIDWEEK: the command hands its moment to the tasks."""
    with time_machine.travel(MIDWEEK, tick=False):
        call_command("send_weekly_digests", "--now", "--queue")


def test_a_mail_server_that_is_down_then_up_gets_one_email_per_user_after_retries(
    celery_worker_factory, closed_smtp_port, owner, subject
):
    give_history(subject, today=MIDWEEK.date())
    readers = [owner]
    for name in ("ana", "bo"):
        readers.append(UserFactory(email=f"{name}@example.com"))
        MembershipFactory(workspace=subject.workspace, user=readers[-1], role=Role.VIEWER)
    celery_worker_factory(
        concurrency=2, pool="prefork", EMAIL_URL=closed_smtp_port.url, DIGEST_RETRY_BASE_SECONDS="0.3",
        DIGEST_MAX_ATTEMPTS="20",
    )

    send_now_queued()
    wait_until(lambda: Digest.objects.filter(attempts__gte=2).count() == len(readers), what="two refused attempts each")
    for digest in Digest.objects.all():
        assert digest.status == "sending"
        assert "Connection refused" in digest.last_error or "ConnectionRefusedError" in digest.last_error

    closed_smtp_port.start()
    closed_smtp_port.wait_for(len(readers))
    wait_until(lambda: Digest.objects.filter(status="sent").count() == len(readers), what="the rows marked sent")

    assert closed_smtp_port.recipients() == sorted(user.email for user in readers)
    assert all(digest.attempts >= 2 and digest.last_error == "" for digest in Digest.objects.all())
    # No retry left waiting, and a second run sends nothing more.
    scheduled = app.control.inspect(timeout=2).scheduled() or {}
    assert not any(scheduled.values())
    send_now_queued()
    assert len(closed_smtp_port.messages) == len(readers)
