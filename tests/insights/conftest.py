import datetime as dt

import pytest

from influence.core.choices import ActivityKind, Network
from influence.core.models import Account, Activity, Observation
from influence.scoring.snapshots import today

# What the story below holds, relative to today.
KEYNOTE_DAYS_AGO = 60
SPIKE_DAYS_AGO = 3
SPIKE = 5000
USUAL = 10
LIFT = 12  # within the usual noise's reach: a faster pace, not a string of unusual days


def audience_story(subject, days: int, end: dt.date | None = None) -> dict:
    """A Mastodon account gaining about USUAL followers a day (6 to 14) for `days` days up to `end`,
    LIFT more a day in the 14 days from a keynote, and one day SPIKE more; a GitHub account's stars."""
    end = end or today()
    start = end - dt.timedelta(days=days - 1)
    keynote = end - dt.timedelta(days=KEYNOTE_DAYS_AGO)
    spike = end - dt.timedelta(days=SPIKE_DAYS_AGO)
    mastodon = Account.objects.create(subject=subject, network=Network.MASTODON, handle="jane@example.social",
                                      instance_url="https://example.social")
    github = Account.objects.create(subject=subject, network=Network.GITHUB, handle="jane")
    rows, value = [], 1000
    for n in range(days):
        day = start + dt.timedelta(days=n)
        if n:
            value += USUAL + (n * 7) % 9 - 4
            if keynote <= day < keynote + dt.timedelta(days=14):
                value += LIFT
            if day == spike:
                value += SPIKE
        rows.append(Observation(account=mastodon, metric="followers", day=day, value=value))
        rows.append(Observation(account=github, metric="stars", day=day, value=200 + 2 * n))
    Observation.objects.bulk_create(rows, batch_size=5000)
    activity = Activity.objects.create(subject=subject, kind=ActivityKind.KEYNOTE, title="DataConf keynote",
                                       date=keynote, audience=800)
    return {"mastodon": mastodon, "github": github, "keynote": activity, "spike": spike, "end": end,
            "start": start}


@pytest.fixture
def story(subject):
    return audience_story(subject, days=400)
