"""Subjects with a score history, and sending a user's email now, for the weekly email's tests (the
SMTP server and its inbox, smtp_inbox, are in tests/conftest.py)."""

import datetime as dt

from django.utils import timezone

from influence.core.choices import ActivityKind, Network
from influence.digests import selection, sending
from influence.scoring import snapshots
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory


def give_history(subject, today: dt.date | None = None, days: int = 40) -> None:
    """Followers growing every day, a talk 20 days ago and one 3 days ago, then the snapshots."""
    today = today or timezone.now().date()
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle=f"gh-{subject.pk}")
    for offset in range(days, -1, -1):
        ObservationFactory(account=account, metric="followers", day=today - dt.timedelta(days=offset),
                           value=200 + 10 * (days - offset))
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Opening keynote",
                    date=today - dt.timedelta(days=20), audience=800)
    ActivityFactory(subject=subject, kind=ActivityKind.BOOK, title="The book", venue="Press & Co",
                    date=today - dt.timedelta(days=3), audience=5000)
    snapshots.recompute_history(subject.pk, until=today)


def send_now(user):
    """Send the user's email of the current week now, as a batch does."""
    now = timezone.now()
    week = selection.local_week_start(now, selection.zone(user.time_zone))
    return sending.send_batch([selection.Due(user.pk, week)], now)


def parts(message):
    """The text and HTML parts of a message the SMTP server received."""
    return (message.get_body(preferencelist=("plain",)).get_content(),
            message.get_body(preferencelist=("html",)).get_content())
