"""Workspaces and their members: creation, invitations, roles, ownership.

The rule that runs through it: a workspace always keeps at least one owner.
Every change that could take away its last owner (a demotion, a removal, a
departure) is refused with a message saying what to do instead. Changes to
memberships lock the workspace's rows so two owners acting at once cannot both
step down.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.models import Invitation, Membership, User, Workspace
from influence.emails import render_email

INVITATION_SALT = "influence.workspaces.invitation"
INVITATION_VALID_FOR = dt.timedelta(days=7)


class WorkspaceError(Exception):
    """A change refused by the workspace rules; the message is shown to the user."""


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the visitor."""


class InvitationForSomeoneElse(InvitationError):
    """A valid invitation, addressed to another email than the signed-in user's."""


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation
    url: str


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


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation", args=[invitation_token(invitation)])


def invite(workspace: Workspace, invited_by: User, email: str, role: str) -> InvitationLink:
    """Record an invitation of `email` with `role` and mail it its link (valid 7 days, used once)."""
    email = email.strip().lower()
    if role not in Role.values:
        raise WorkspaceError("Unknown role.")
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise WorkspaceError(f"{email} is already a member of {workspace.name}.")
    now = timezone.now()
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by, expires_at=now + INVITATION_VALID_FOR
    )
    link = InvitationLink(invitation, invitation_url(invitation))
    # Sent after commit: a rolled-back invitation must not reach anyone's inbox.
    transaction.on_commit(lambda: _send_invitation(link))
    return link


def _send_invitation(link: InvitationLink) -> None:
    invitation = link.invitation
    context = {
        "invitation": invitation,
        "workspace": invitation.workspace,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display(),
        "url": link.url,
        "valid_days": INVITATION_VALID_FOR.days,
    }
    render_email("invitation", context, [invitation.email]).send()


def pending_invitations(workspace: Workspace):
    return workspace.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now()).select_related(
        "invited_by"
    )


def revoke_invitation(workspace: Workspace, invitation_id: int) -> None:
    deleted, _ = workspace.invitations.filter(pk=invitation_id, accepted_at__isnull=True).delete()
    if not deleted:
        raise WorkspaceError("That invitation is no longer pending.")


def read_invitation(token: str) -> Invitation:
    """The usable invitation behind a link, or InvitationError saying why not."""
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise InvitationError("This invitation link is not valid. Check that it was copied whole.") from None
    invitation = Invitation.objects.select_related("workspace", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationError("This invitation was withdrawn. Ask the workspace's owner for a new one.")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("This invitation has expired. Ask the workspace's owner for a new one.")
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """Join the invited workspace with the invited role; the link works once, for the invited email."""
    with transaction.atomic():
        invitation = read_invitation(token)
        # Lock the row: two clicks at once must not both accept.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError("This invitation has already been used.")
        if user.email.lower() != invitation.email.lower():
            raise InvitationForSomeoneElse(
                f"This invitation is for {invitation.email}; you are signed in as {user.email}. "
                "Log out and sign in with the invited address."
            )
        membership, created = Membership.objects.get_or_create(
            workspace_id=invitation.workspace_id, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        user.current_workspace_id = invitation.workspace_id
        user.save(update_fields=["current_workspace"])
    return membership
