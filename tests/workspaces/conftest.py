import pytest

from influence.core.models import Membership


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
