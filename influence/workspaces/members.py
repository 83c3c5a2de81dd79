"""Workspaces and their members: creation, switching, roles, ownership.

The rule that runs through it: a workspace always keeps at least one owner.
Every change that could take away its last owner (a demotion, a removal, a
departure) is refused with a message saying what to do instead. Changes to
memberships lock the workspace's rows so two owners acting at once cannot both
step down.
"""

from django.db import transaction

from influence.core.choices import Role
from influence.core.models import Membership, User, Workspace


class WorkspaceError(Exception):
    """A change refused by the workspace rules; the message is shown to the user."""


def create_workspace(user: User, name: str) -> Workspace:
    """A new workspace owned by `user`, who switches to it."""
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name)
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        switch_workspace(user, workspace)
    return workspace


def switch_workspace(user: User, workspace: Workspace) -> None:
    if not Membership.objects.filter(user=user, workspace=workspace).exists():
        raise WorkspaceError("You are not a member of that workspace.")
    user.current_workspace = workspace
    user.save(update_fields=["current_workspace"])


def rename_workspace(workspace: Workspace, name: str) -> None:
    workspace.name = name
    workspace.save(update_fields=["name"])


def _lock_members(workspace: Workspace) -> dict[int, Membership]:
    """Every membership of the workspace, locked in one go and in one order.

    Taking all the rows at once (ordered by id) means two changes at the same
    time queue behind each other instead of deadlocking, and the second sees
    the first one's outcome when it counts the owners left.
    """
    rows = Membership.objects.select_for_update().filter(workspace=workspace).select_related("user").order_by("pk")
    return {membership.pk: membership for membership in rows}


def _other_owners(members: dict[int, Membership], membership: Membership) -> int:
    return sum(1 for m in members.values() if m.role == Role.OWNER and m.pk != membership.pk)


def _member(members: dict[int, Membership], membership_id: int) -> Membership:
    if membership_id not in members:
        raise WorkspaceError("That person is not a member of this workspace.")
    return members[membership_id]


def change_role(workspace: Workspace, membership_id: int, role: str) -> Membership:
    """Give a member another role; the last owner cannot be demoted."""
    if role not in Role.values:
        raise WorkspaceError("Unknown role.")
    with transaction.atomic():
        members = _lock_members(workspace)
        membership = _member(members, membership_id)
        if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(members, membership):
            raise WorkspaceError(
                f"{membership.user.email} is the last owner of {workspace.name}: make someone else "
                "an owner first."
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(workspace: Workspace, membership_id: int) -> Membership:
    """Take a member out of the workspace; the last owner cannot be removed."""
    with transaction.atomic():
        members = _lock_members(workspace)
        membership = _member(members, membership_id)
        if membership.role == Role.OWNER and not _other_owners(members, membership):
            raise WorkspaceError(
                f"{membership.user.email} is the last owner of {workspace.name}: transfer the ownership "
                "first, or delete the workspace with the account."
            )
        membership.delete()
        User.objects.filter(pk=membership.user_id, current_workspace=workspace).update(current_workspace=None)
    return membership


def leave_workspace(workspace: Workspace, user: User) -> None:
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        raise WorkspaceError("You are not a member of that workspace.")
    remove_member(workspace, membership.pk)


def transfer_ownership(workspace: Workspace, from_user: User, membership_id: int) -> Membership:
    """Make another member the owner; the previous owner stays on as an editor."""
    with transaction.atomic():
        members = _lock_members(workspace)
        target = _member(members, membership_id)
        current = next((m for m in members.values() if m.user_id == from_user.pk and m.role == Role.OWNER), None)
        if current is None:
            raise WorkspaceError("Only an owner can transfer the ownership.")
        if target.pk == current.pk:
            raise WorkspaceError("You already own this workspace.")
        target.role = Role.OWNER
        target.save(update_fields=["role"])
        current.role = Role.EDITOR
        current.save(update_fields=["role"])
    return target


# Invitations -----------------------------------------------------------------


