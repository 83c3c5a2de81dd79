"""Invitations to a workspace: a signed link by email, valid for a week, for one address.

A link works only while the person who sent it may still invite: an owner of the
workspace. An owner demoted or removed since (or whose account was deleted) no
longer vouches for the newcomer, so their pending invitations stop working; any
owner can send one again, and becomes its inviter.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from influence.core.addresses import has_verified_address
from influence.core.choices import Role
from influence.core.emails import render_email
from influence.core.models import Invitation, Membership, User, Workspace
from influence.core.ratelimit import Limit, RateLimited, take
from influence.workspaces.members import WorkspaceError

# Kept as it is: links already sent are signed with it.
INVITATION_SALT = "influence.workspaces.invitation"
INVITATION_VALID_FOR = dt.timedelta(days=7)
# Invitations are emails the product sends to any address an owner types: bounded per
# workspace (a flood from one workspace) and per address (one inbox flooded from many
# workspaces, or by sending again). Sending again counts like a first sending.
PER_WORKSPACE = Limit("invitations-per-workspace", count=20, period=60 * 60)
PER_ADDRESS = Limit("invitations-per-address", count=3, period=24 * 60 * 60)


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the visitor."""


class InvitationForSomeoneElse(InvitationError):
    """A valid invitation, addressed to another email than the signed-in user's."""


class AddressNotConfirmed(InvitationError):
    """A valid invitation for the signed-in user's address, which they have not confirmed yet."""


class TooManyInvitations(Exception):
    """An invitation refused by a rate limit; nothing was recorded or sent."""

    def __init__(self, message: str, wait_minutes: int):
        super().__init__(message)
        self.wait_minutes = wait_minutes


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation
    url: str


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation", args=[invitation_token(invitation)])


def invite(workspace: Workspace, invited_by: User, email: str, role: str) -> InvitationLink:
    """Invite `email` with `role` and mail it its link (valid 7 days, used once).

    Inviting an address that already has a pending invitation sends that one
    again: same link, the new role, a new week, and `invited_by` as its inviter.
    TooManyInvitations past the workspace's or the address's limit.
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise WorkspaceError("Unknown role.")
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise WorkspaceError(f"{email} is already a member of {workspace.name}.")
    _count_sending(workspace, email)
    now = timezone.now()
    values = {"role": role, "invited_by": invited_by, "expires_at": now + INVITATION_VALID_FOR}
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(workspace=workspace, email=email, accepted_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if invitation is None:
            invitation = Invitation.objects.create(workspace=workspace, email=email, **values)
        else:
            for name, value in values.items():
                setattr(invitation, name, value)
            invitation.save(update_fields=list(values))
    link = InvitationLink(invitation, invitation_url(invitation))
    # Sent after commit: a rolled-back invitation must not reach anyone's inbox.
    transaction.on_commit(lambda: _send_invitation(link))
    return link


def _count_sending(workspace: Workspace, email: str) -> None:
    try:
        take(PER_WORKSPACE, str(workspace.pk))
    except RateLimited as refusal:
        raise TooManyInvitations(
            f"Too many invitations sent from {workspace.name}: at most {PER_WORKSPACE.count} an hour.",
            refusal.wait_minutes,
        ) from None
    try:
        take(PER_ADDRESS, email)
    except RateLimited as refusal:
        raise TooManyInvitations(
            f"Too many invitations sent to {email}: at most {PER_ADDRESS.count} a day, from all workspaces.",
            refusal.wait_minutes,
        ) from None


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


def _inviter_may_invite() -> Exists:
    return Exists(
        Membership.objects.filter(workspace=OuterRef("workspace_id"), user=OuterRef("invited_by_id"), role=Role.OWNER)
    )


def pending_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    """Unused, unexpired invitations; `inviter_may_invite` is False on those that no longer work."""
    return (
        workspace.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        .annotate(inviter_may_invite=_inviter_may_invite())
        .select_related("invited_by")
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
    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .annotate(inviter_may_invite=_inviter_may_invite())
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise InvitationError("This invitation was withdrawn. Ask the workspace's owner for a new one.")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("This invitation has expired. Ask the workspace's owner for a new one.")
    if not invitation.inviter_may_invite:
        raise InvitationError(
            "The person who sent this invitation can no longer invite to this workspace. "
            "Ask the workspace's owner for a new one."
        )
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """Join the invited workspace with the invited role; the link works once, and only for
    the invited address once its owner has confirmed it."""
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
        if not has_verified_address(user, invitation.email):
            raise AddressNotConfirmed(
                f"Confirm {invitation.email} first: follow the link in the email we sent to it."
            )
        return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        workspace_id=invitation.workspace_id, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user.current_workspace_id = invitation.workspace_id
    user.save(update_fields=["current_workspace"])
    return membership


def claim_invitation(invitation: Invitation, user: User) -> None:
    """Record that `user` signed up from this invitation's page: confirming the invited
    address then joins the workspace in the same step (join_claimed_invitations)."""
    if user.email.lower() != invitation.email.lower():
        raise InvitationForSomeoneElse(f"This invitation is for {invitation.email}.")
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(claimed_by=user)


def claimed_invitation(user: User, email: str | None = None) -> Invitation | None:
    """The pending invitation `user` signed up from (to `email`, by default theirs), if any: the newest."""
    return (
        Invitation.objects.select_related("workspace")
        .filter(
            claimed_by=user,
            email__iexact=email if email is not None else user.email,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


def join_claimed_invitations(user: User, email: str) -> list[Membership]:
    """On confirmation of `email`: join every still-usable invitation to it that `user` signed
    up from. One that can no longer be used (withdrawn, expired, its inviter no longer an
    owner) is skipped; the user then asks for a new one."""
    joined = []
    with transaction.atomic():
        claimed = (
            Invitation.objects.select_for_update()
            .filter(claimed_by=user, email__iexact=email, accepted_at__isnull=True)
            .order_by("created_at")
        )
        for invitation in claimed:
            try:
                read_invitation(invitation_token(invitation))
            except InvitationError:
                continue
            joined.append(_join(invitation, user))
    return joined
