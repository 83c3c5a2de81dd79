"""Who is due, in their own time zone, and the sweep of sends that died."""

import datetime as dt
import logging

import pytest
from allauth.account.models import EmailAddress

from influence.core.choices import Role
from influence.core.models import Digest, User
from influence.digests import selection
from influence.digests.sending import send_batch
from influence.digests.tasks import sweep_stale_digests
from tests.factories import MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def user_with_subject(email, time_zone="UTC", **prefs):
    user = UserFactory(email=email, time_zone=time_zone, **prefs)
    workspace = WorkspaceFactory()
    MembershipFactory(workspace=workspace, user=user, role=Role.VIEWER)
    SubjectFactory(workspace=workspace)
    return user


def due_emails(now, **kwargs):
    users = {u.pk: u.email for u in User.objects.all()}
    return sorted(users[d.user_id] for d in selection.due_users(now, **kwargs))


def test_each_user_is_due_at_their_own_local_hour_across_the_week_boundary():
    # Monday 08:00 (the default) is Sunday 19:00 UTC in Auckland (NZDT, +13),
    # Monday 07:00 UTC in Berlin (CET, +1), Monday 16:00 UTC in Los Angeles (PST, -8).
    for email, zone in [("auckland", "Pacific/Auckland"), ("berlin", "Europe/Berlin"), ("la", "America/Los_Angeles")]:
        user = user_with_subject(f"{email}@example.com", zone)
        Digest.objects.create(user=user, week_start=dt.date(2026, 11, 23), status="sent")  # last week's

    assert due_emails(at("2026-11-29T18:59")) == []
    assert due_emails(at("2026-11-29T19:00")) == ["auckland@example.com"]
    assert due_emails(at("2026-11-30T07:00")) == ["auckland@example.com", "berlin@example.com"]
    assert due_emails(at("2026-11-30T16:00")) == ["auckland@example.com", "berlin@example.com", "la@example.com"]
    [auckland] = [d for d in selection.due_users(at("2026-11-29T19:00"))]
    assert auckland.week_start == dt.date(2026, 11, 30)  # already Monday there


def test_the_week_start_is_the_local_monday_even_late_on_sunday_in_utc():
    la = user_with_subject("la@example.com", "America/Los_Angeles", digest_weekday=6, digest_hour=20)
    # Sunday 20:00 in Los Angeles is Monday 04:00 UTC: still the week that began on the 23rd there.
    [due] = selection.due_users(at("2026-11-30T04:00"))
    assert (due.user_id, due.week_start) == (la.pk, dt.date(2026, 11, 23))


def test_only_a_confirmed_address_gets_the_weekly_email():
    unconfirmed = user_with_subject("unconfirmed@example.com", verified=False)
    user_with_subject("confirmed@example.com")
    # An address other than the user's own being confirmed does not count.
    EmailAddress.objects.create(user=unconfirmed, email="other@example.com", verified=True, primary=False)

    assert due_emails(at("2026-11-30T08:00")) == ["confirmed@example.com"]
    EmailAddress.objects.filter(user=unconfirmed, email="unconfirmed@example.com").update(verified=True)
    assert due_emails(at("2026-11-30T08:00")) == ["confirmed@example.com", "unconfirmed@example.com"]


def test_an_address_unconfirmed_after_selection_is_not_sent_to(mailoutbox):
    user = user_with_subject("changed@example.com")
    due = selection.due_users(at("2026-11-30T08:00"))
    EmailAddress.objects.filter(user=user).update(verified=False)
    result = send_batch(due, at("2026-11-30T08:00"))
    assert result.sent == [] and result.skipped == [user.pk]
    assert mailoutbox == []


def test_a_user_with_a_digest_for_the_week_or_without_subjects_or_opted_out_is_not_due():
    sent = user_with_subject("sent@example.com")
    Digest.objects.create(user=sent, week_start=dt.date(2026, 11, 30), status="sent")
    user_with_subject("off@example.com", digest_enabled=False)
    UserFactory(email="lonely@example.com")
    user_with_subject("due@example.com")

    assert due_emails(at("2026-12-01T09:00")) == ["due@example.com"]
    # Last week's email does not count for this week.
    assert due_emails(at("2026-12-07T09:00")) == ["due@example.com", "sent@example.com"]


def test_now_ignores_the_weekday_and_hour_but_not_this_weeks_email():
    user_with_subject("friday@example.com", digest_weekday=4, digest_hour=18)
    done = user_with_subject("done@example.com", digest_weekday=4)
    Digest.objects.create(user=done, week_start=dt.date(2026, 11, 30), status="sent")

    assert due_emails(at("2026-11-30T09:00")) == []
    assert due_emails(at("2026-11-30T09:00"), ignore_schedule=True) == ["friday@example.com"]


def test_choosing_the_due_users_is_one_query_however_many_there_are(django_assert_num_queries):
    workspace = WorkspaceFactory()
    SubjectFactory(workspace=workspace)
    for n in range(60):
        MembershipFactory(workspace=workspace, user=UserFactory(time_zone=["UTC", "Asia/Tokyo"][n % 2]))

    with django_assert_num_queries(1):
        due = selection.due_users(at("2026-11-30T09:00"))
    assert len(due) == 60


def test_the_next_send_is_shown_in_the_users_zone():
    user = user_with_subject("berlin@example.com", "Europe/Berlin", digest_weekday=2, digest_hour=9)

    when, due_now = selection.next_send(user, at("2026-11-30T12:00"))
    assert (when.isoformat(), due_now) == ("2026-12-02T09:00:00+01:00", False)
    when, due_now = selection.next_send(user, at("2026-12-02T08:30"))
    assert due_now is True
    Digest.objects.create(user=user, week_start=dt.date(2026, 11, 30), status="sent")
    when, due_now = selection.next_send(user, at("2026-12-02T08:30"))
    assert (when.date(), due_now) == (dt.date(2026, 12, 9), False)


def test_a_send_left_sending_for_over_an_hour_is_swept_to_failed_logged_and_not_resent(caplog):
    user = user_with_subject("crash@example.com")
    digest = Digest.objects.create(user=user, week_start=dt.date(2026, 11, 30))
    recent = Digest.objects.create(user=user_with_subject("slow@example.com"), week_start=dt.date(2026, 11, 30))
    now = at("2026-11-30T12:00")
    Digest.objects.filter(pk=digest.pk).update(claimed_at=now - dt.timedelta(minutes=61))
    Digest.objects.filter(pk=recent.pk).update(claimed_at=now - dt.timedelta(minutes=59))

    with caplog.at_level(logging.WARNING, logger="influence.digests"):
        assert sweep_stale_digests(now.isoformat()) == 1
    digest.refresh_from_db()
    recent.refresh_from_db()
    assert (digest.status, recent.status) == ("failed", "sending")
    assert "within an hour" in digest.last_error
    assert f"digest={digest.pk}" in caplog.text and "swept=failed" in caplog.text
    # Failed, not retried: nobody is due again this week.
    assert due_emails(now) == []
