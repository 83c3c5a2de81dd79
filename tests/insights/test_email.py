"""The weekly email lists the past week's unusual audience days, and not a dismissed one."""

import pytest
from django.utils import timezone

from influence.core.models import AnomalyDismissal
from influence.digests import selection, sending
from influence.insights.display import short_day

pytestmark = pytest.mark.django_db


def send_now(user):
    now = timezone.now()
    week = selection.local_week_start(now, selection.zone(user.time_zone))
    return sending.send_batch([selection.Due(user.pk, week)], now)


def parts(message):
    return (message.get_body(preferencelist=("plain",)).get_content(),
            message.get_body(preferencelist=("html",)).get_content())


@pytest.fixture
def inbox(smtp_server, mail_to):
    return mail_to(smtp_server)


def test_the_weekly_email_names_an_unusual_day_of_the_week(owner, subject, story, inbox):
    send_now(owner)
    [message] = inbox.wait_for(1)
    text, html = parts(message)
    spike = story["spike"]
    line = next(line for line in text.splitlines() if "unusual" in line)
    assert line.startswith("  - Mastodon followers +5,") and line.endswith(f" on {short_day(spike)}: unusual")
    assert "Unusual days (past 7 days)" in html and line.strip()[2:] in html
    # The keynote's faster weeks two months ago are not this week's news.
    assert text.count(": unusual") == 1


def test_a_dismissed_day_is_left_out_of_the_email(owner, subject, story, inbox):
    AnomalyDismissal.objects.create(account=story["mastodon"], metric="followers", day=story["spike"])
    send_now(owner)
    [message] = inbox.wait_for(1)
    text, _ = parts(message)
    assert "unusual" not in text.lower()
