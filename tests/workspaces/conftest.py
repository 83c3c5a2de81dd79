import pytest

from influence.core.models import Membership
from tests.support.cache import use_own_cache


@pytest.fixture
def roles(workspace):
    """The workspace's memberships as {email: role}, to assert what changed and what did not."""

    def read():
        return dict(Membership.objects.filter(workspace=workspace).values_list("user__email", "role"))

    return read


@pytest.fixture
def membership_of(workspace):
    def get(user):
        return Membership.objects.get(workspace=workspace, user=user)

    return get


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Invitation limits would count per address across tests otherwise (the same newcomer@example.com)."""
    use_own_cache(settings)
