"""Two-factor authentication: who has it, and the workspaces that require it of their members.

A user has two factors once an authenticator app (TOTP) is set up on their settings page
(recovery codes come with it and do not count alone). A workspace whose owner switched on
`require_two_factor` shows nothing of itself, on the pages or through the API, to a member
without them (influence.core.permissions applies it).
"""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from influence.core.models import Membership, User, Workspace

# What counts as a second factor (recovery codes only back one up).
FACTORS = [Authenticator.Type.TOTP]


def has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).exists()


def open_memberships(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """The memberships whose workspace their user may see: it requires no second factor, or the
    user has one (a condition in the same query, so a list costs no query more)."""
    factor = Authenticator.objects.filter(user_id=OuterRef("user_id"), type__in=FACTORS)
    return memberships.filter(Q(workspace__require_two_factor=False) | Exists(factor))


class TwoFactorRequired(PermissionDenied):
    """A member without two factors asked for something of a workspace that requires them: the
    pages answer with a page asking to set them up, the API with 403 `two_factor_required`."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        super().__init__(
            f"The workspace “{workspace.name}” requires two-factor authentication of its members: "
            "set it up on your settings page (/settings/) to see it."
        )
