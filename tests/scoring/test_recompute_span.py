"""A recompute spans the subject's own history: from its first input (never before 1900) to `until`."""

import datetime as dt

from influence.core.choices import Network
from influence.core.models import Activity, ScoreSnapshot
from influence.scoring import snapshots
from tests.factories import AccountFactory, ObservationFactory


def test_a_recompute_asked_from_year_1_starts_at_the_first_input(subject):
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="jane")
    ObservationFactory(account=account, metric="followers", day=dt.date(2026, 6, 1), value=10)
    written = snapshots.recompute_history(subject.pk, since=dt.date(1, 1, 1), until=dt.date(2026, 6, 10))
    assert written == 10
    assert ScoreSnapshot.objects.filter(subject=subject).earliest("day").day == dt.date(2026, 6, 1)


def test_an_activity_stored_before_1900_does_not_stretch_the_recompute_past_1900(subject):
    # Stored before the date bounds existed (the form and the import refuse it now).
    Activity.objects.create(subject=subject, kind="talk", title="Very old talk", date=dt.date(1, 1, 1))
    written = snapshots.recompute_history(subject.pk, since=dt.date(1, 1, 1), until=dt.date(1900, 1, 10))
    assert written == 10
    assert ScoreSnapshot.objects.filter(subject=subject).earliest("day").day == dt.date(1900, 1, 1)
    assert snapshots.recompute_history(subject.pk, until=dt.date(1900, 1, 3)) == 3
