import os

import pytest

from influence.scoring.snapshots import today
from tests.dashboard.history import build_history
from tests.factories import SubjectFactory

# Playwright's sync API runs an event loop in the test's thread; the database
# calls the test itself makes are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def five_years(subject):
    """`subject` with five years of daily observations, activities and snapshots, ending today."""
    return build_history(subject, today(), years=5)


@pytest.fixture
def recent(subject):
    """`subject` with 450 days of the same kind of data: enough for every range but "all"."""
    return build_history(subject, today(), years=450 / 365)


@pytest.fixture
def other_subject(workspace):
    return SubjectFactory(workspace=workspace, name="Acme Ltd")
