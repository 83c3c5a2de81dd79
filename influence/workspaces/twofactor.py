"""A workspace's requirement of two factors from every member, switched by an owner.

Once on, a member without two factors sees nothing of the workspace, on the pages or through
the API, until they set them up (influence.core.permissions applies it). An owner can switch it
on only with two factors of their own, so that they do not lock themselves out.
"""

from allauth.mfa.models import Authenticator

from influence.core.models import User, Workspace
from influence.core.twofactor import FACTORS, has_two_factor
from influence.workspaces.members import WorkspaceError


def set_two_factor_requirement(workspace: Workspace, owner: User, required: bool) -> None:
    if required and not has_two_factor(owner):
        raise WorkspaceError(
            "Set up two-factor authentication for yourself first (on your settings page): "
            "otherwise this workspace would lock you out too."
        )
    workspace.require_two_factor = required
    workspace.save(update_fields=["require_two_factor"])


def members_without_two_factor(workspace: Workspace) -> list[User]:
    """The members who would see nothing of the workspace while it requires two factors."""
    with_factor = Authenticator.objects.filter(type__in=FACTORS).values("user_id")
    return list(User.objects.filter(memberships__workspace=workspace).exclude(pk__in=with_factor).order_by("email"))
