"""Real Celery workers and a real SMTP server: exactly one email per user and week."""

import datetime as dt

import pytest
from celery.result import AsyncResult

from influence.celery import app
from influence.core.choices import Role
from influence.core.models import Digest
from influence.digests.tasks import dispatch_digests
from tests.digests.conftest import give_history
from tests.factories import MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.worker

LAST_WEEK = dt.date(2026, 11, 23)


def dispatch_twice(moment: str) -> None:
    """Two dispatcher runs at the same moment, as if beat fired twice; wait for all their batches."""
    tasks = dispatch_digests(moment)["tasks"] + dispatch_digests(moment)["tasks"]
    for task_id in tasks:
        AsyncResult(task_id, app=app).get(timeout=60)


def test_two_dispatches_on_two_workers_send_one_email_per_user_at_each_users_local_hour(
    celery_worker_factory, smtp_server
):
    workspace = WorkspaceFactory(name="Agency")
    give_history(SubjectFactory(workspace=workspace, name="Client"))
    zones = {"auckland": "Pacific/Auckland", "berlin": "Europe/Berlin", "la": "America/Los_Angeles"}
    zones.update({f"utc{n}": "UTC" for n in range(12)})
    for name, zone in zones.items():
        user = UserFactory(email=f"{name}@example.com", time_zone=zone)
        MembershipFactory(workspace=workspace, user=user, role=Role.VIEWER)
        Digest.objects.create(user=user, week_start=LAST_WEEK, status="sent")
    for _ in range(2):
        celery_worker_factory(EMAIL_URL=smtp_server.url)

    utc = [f"utc{n}@example.com" for n in range(12)]
    steps = [
        ("2026-11-29T18:45:00+00:00", []),
        # Monday 08:00 in Auckland (UTC+13) is Sunday 19:00 UTC.
        ("2026-11-29T19:00:00+00:00", ["auckland@example.com"]),
        ("2026-11-30T07:00:00+00:00", ["auckland@example.com", "berlin@example.com"]),
        ("2026-11-30T08:00:00+00:00", ["auckland@example.com", "berlin@example.com", *utc]),
        ("2026-11-30T15:45:00+00:00", ["auckland@example.com", "berlin@example.com", *utc]),
        ("2026-11-30T16:00:00+00:00", ["auckland@example.com", "berlin@example.com", "la@example.com", *utc]),
        ("2026-12-03T12:00:00+00:00", ["auckland@example.com", "berlin@example.com", "la@example.com", *utc]),
    ]
    for moment, expected in steps:
        dispatch_twice(moment)
        assert smtp_server.recipients() == sorted(expected), moment

    weeks = dict(Digest.objects.filter(status="sent").exclude(week_start=LAST_WEEK)
                 .values_list("user__email", "week_start"))
    assert len(weeks) == len(zones)
    assert set(weeks.values()) == {dt.date(2026, 11, 30)}
    assert smtp_server.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# A mail server that is down then up: tests/faults/test_smtp_outage.py.
