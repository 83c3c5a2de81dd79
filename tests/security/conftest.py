import pytest

from tests.security.world import build_world


@pytest.fixture
def world(db):
    """Every kind of object, in the personas' workspace and in another one (see world.py)."""
    return build_world()
