"""Invitations to a workspace: a signed link by email, valid for a week, for one address."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.emails import render_email
from influence.core.models import Invitation, Membership, User, Workspace
from influence.workspaces.members import WorkspaceError

# Kept as it is: links already sent are signed with it.
INVITATION_SALT = "influence.workspaces.invitation"
INVITATION_VALID_FOR = dt.timedelta(days=7)


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the visitor."""


class InvitationForSomeoneElse(InvitationError):
    """A valid invitation, addressed to another email than the signed-in user's."""


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation
    url: str


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
