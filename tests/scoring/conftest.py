import datetime as dt

import pytest

from influence.core.choices import ActivityKind, Network
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory

START = dt.date(2026, 1, 1)


@pytest.fixture
def history(subject):
    """Sixty days of two accounts and two activities for `subject`."""
    mastodon = AccountFactory(subject=subject, network=Network.MASTODON, handle="jane@example.social")
    github = AccountFactory(subject=subject, network=Network.GITHUB, handle="jane")
    for n in range(60):
        day = START + dt.timedelta(days=n)
        ObservationFactory(account=mastodon, metric="followers", day=day, value=1000 + 10 * n)
        ObservationFactory(account=mastodon, metric="following", day=day, value=300)
        if n % 7 == 0:
            ObservationFactory(account=github, metric="followers", day=day, value=200 + n)
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, date=START + dt.timedelta(days=10), audience=800)
    ActivityFactory(subject=subject, kind=ActivityKind.TEACHING, date=START + dt.timedelta(days=20),
                    end_date=START + dt.timedelta(days=40), audience=30)
    return subject
