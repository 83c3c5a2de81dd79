import pytest

from tests.factories import UserFactory
from tests.support.cache import use_own_cache


@pytest.fixture(autouse=True)
def own_cache(settings):
    """allauth's rate limits (sign-up per address, one confirmation email per address every
    3 minutes) count in the cache: each test starts from zero."""
    use_own_cache(settings)


@pytest.fixture
def jane(db):
    return UserFactory(email="jane@example.com")
