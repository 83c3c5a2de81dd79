"""Counts typed by hand stay within what an observation can hold, whoever calls enter_counts."""

import datetime as dt

import pytest

from influence.collection import enter_counts
from influence.collection.accounts import MAX_MANUAL_COUNT
from influence.core.choices import Network
from influence.core.models import Observation
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def manual(subject):
    return AccountFactory(subject=subject, network=Network.MANUAL, handle="jane-doe", label="LinkedIn")


def test_counts_from_0_to_the_largest_allowed_are_stored(manual):
    assert enter_counts(manual, dt.date(2026, 6, 1), {"followers": MAX_MANUAL_COUNT, "posts": 0}, now=NOW) == 2
    assert dict(Observation.objects.values_list("metric", "value")) == {"followers": MAX_MANUAL_COUNT, "posts": 0}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"followers": -1}, "Followers must be a whole number from 0 to 1,000,000,000,000."),
        ({"followers": 10, "views": MAX_MANUAL_COUNT + 1}, "Views must be a whole number from 0 to 1,000,000,000,000."),
        ({"followers": 2**63}, "Followers must be a whole number from 0 to 1,000,000,000,000."),
        ({"followers": 10**5000}, "Followers must be a whole number from 0 to 1,000,000,000,000."),
        ({"followers": 1.5}, "Followers must be a whole number from 0 to 1,000,000,000,000."),
    ],
)
def test_a_count_out_of_range_is_refused_naming_its_field_and_nothing_is_stored(manual, values, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        enter_counts(manual, dt.date(2026, 6, 1), values, now=NOW)
    assert not Observation.objects.exists()


def test_counts_dated_before_1900_are_refused(manual):
    with pytest.raises(ValueError, match="before 1900-01-01"):
        enter_counts(manual, dt.date(1, 1, 1), {"followers": 10}, now=NOW)
    assert not Observation.objects.exists()
