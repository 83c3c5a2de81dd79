import pytest

from tests.security.world import build_world
from tests.support.cache import use_own_cache


@pytest.fixture
def world(db):
    """Every kind of object, in the personas' workspace and in another one (see world.py)."""
    return build_world()


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Invitation limits would count per address across tests otherwise (the same newcomer@example.com)."""
    use_own_cache(settings)
