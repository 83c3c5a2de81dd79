"""The weekly email lists the past week's unusual audience days, and not a dismissed one."""

import pytest

from influence.core.models import AnomalyDismissal
from influence.insights.display import short_day
from tests.digests.conftest import parts, send_now

pytestmark = pytest.mark.django_db


def test_the_weekly_email_names_an_unusual_day_of_the_week(owner, subject, story, smtp_inbox):
    send_now(owner)
    [message] = smtp_inbox.wait_for(1)
    text, html = parts(message)
    spike = story["spike"]
    line = next(line for line in text.splitlines() if "unusual" in line)
    assert line.startswith("  - Mastodon followers +5,") and line.endswith(f" on {short_day(spike)}: unusual")
    assert "Unusual days (past 7 days)" in html and line.strip()[2:] in html
    # The keynote's faster weeks two months ago are not this week's news.
    assert text.count(": unusual") == 1


def test_a_dismissed_day_is_left_out_of_the_email(owner, subject, story, smtp_inbox):
    AnomalyDismissal.objects.create(account=story["mastodon"], metric="followers", day=story["spike"])
    send_now(owner)
    [message] = smtp_inbox.wait_for(1)
    text, _ = parts(message)
    assert "unusual" not in text.lower()
