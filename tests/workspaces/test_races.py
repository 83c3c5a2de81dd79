"""What must happen once happens once, even when two requests arrive together."""

import threading

import pytest
from django.db import connection

from influence.core.choices import Role
from influence.core.models import Invitation, Membership
from influence.workspaces import invitations, members
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*calls):
    """Run the calls in threads released at the same moment; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (the outcome is what the test inspects)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_an_invitation_accepted_twice_at_once_is_used_once(workspace, owner):
    link = invitations.invite(workspace, owner, "newcomer@example.com", Role.EDITOR)
    token = invitations.invitation_token(link.invitation)
    newcomer = UserFactory(email="newcomer@example.com")

    results = _together(lambda: invitations.accept_invitation(token, newcomer),
                        lambda: invitations.accept_invitation(token, newcomer))

    assert sorted(type(r).__name__ for r in results) == ["InvitationError", "Membership"]
    assert Membership.objects.filter(workspace=workspace, user=newcomer).count() == 1
    assert Invitation.objects.get().accepted_by == newcomer


def test_two_owners_stepping_down_at_once_leave_one_owner(workspace, owner, editor):
    Membership.objects.filter(user=editor).update(role=Role.OWNER)
    first, second = (Membership.objects.get(user=u).pk for u in (owner, editor))

    results = _together(lambda: members.change_role(workspace, first, Role.VIEWER),
                        lambda: members.change_role(workspace, second, Role.VIEWER))

    assert sorted(type(r).__name__ for r in results) == ["Membership", "WorkspaceError"]
    assert Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() == 1
