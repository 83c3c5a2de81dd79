"""manage.py send_weekly_digests: inline sends over SMTP, --now, --user, --dry-run."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from influence.core.models import Digest, User
from tests.digests.conftest import give_history
from tests.factories import SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday: the default Monday 08:00 has passed this week.
WEDNESDAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def run(*args) -> str:
    out = StringIO()
    call_command("send_weekly_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def people(owner, viewer, subject, workspace):
    give_history(subject)
    SubjectFactory(workspace=workspace, name="Second subject")
    UserFactory(email="nobody@example.com")  # no workspace, no subject
    User.objects.filter(pk=viewer.pk).update(digest_weekday=4, digest_hour=18)  # Friday evening
    return owner, viewer


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_dry_run_lists_who_would_get_an_email_and_sends_and_claims_nothing(people, smtp_server, mail_to):
    mail_to(smtp_server)

    output = run("--dry-run", "--now")

    assert "owner@example.com (week of 30 Nov 2026): Jane Doe, Second subject" in output
    assert "viewer@example.com (week of 30 Nov 2026): Jane Doe, Second subject" in output
    assert "nobody@example.com" not in output
    assert "2 email(s) would be sent" in output
    assert not Digest.objects.exists()
    assert smtp_server.messages == []


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_command_sends_to_the_users_due_now_over_smtp_and_never_twice(people, smtp_server, mail_to):
    mail_to(smtp_server)

    assert "Sent 1;" in run()  # the owner's Monday 08:00 has passed; the viewer's Friday has not
    assert "Sent 1;" in run("--now")  # the viewer's, ahead of time
    assert "Nobody is due" in run("--now")

    assert smtp_server.recipients() == ["owner@example.com", "viewer@example.com"]
    assert set(Digest.objects.values_list("status", flat=True)) == {"sent"}
    assert "nobody@example.com" not in smtp_server.recipients()


@time_machine.travel(WEDNESDAY, tick=False)
def test_one_user_can_be_named_and_an_opted_out_one_is_reported_not_sent_to(people, smtp_server, mail_to):
    mail_to(smtp_server)
    owner, viewer = people
    User.objects.filter(pk=viewer.pk).update(digest_enabled=False)

    assert "turned off" in run("--now", "--user", "VIEWER@example.com")
    User.objects.filter(pk=owner.pk).update(digest_weekday=4)
    assert "is not due yet: next email Friday 04 Dec 2026 08:00 (UTC)" in run("--user", "owner@example.com")
    assert "Sent 1;" in run("--now", "--user", "owner@example.com")
    assert "already has the email" in run("--now", "--user", "owner@example.com")
    assert "sees no subject" in run("--now", "--user", "nobody@example.com")
    assert smtp_server.recipients() == ["owner@example.com"]


def test_an_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="No user with the email ghost@example.com"):
        run("--user", "ghost@example.com")
