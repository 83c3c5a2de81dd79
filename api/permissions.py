"""What a token may do, on top of its user's role (influence.core.permissions decides that).

A read-only token answers 403 to every change; a token of one workspace sees
the objects of the others as absent (404), like an outsider would. A workspace
that requires two factors refuses the tokens of members without them: a token of
that workspace answers 403 `two_factor_required` to everything, a token of all
workspaces to that workspace's objects, and leaves it out of its lists.
"""

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from influence.core import permissions
from influence.core.models import AccessToken


class TokenAllows(BasePermission):
    message = "This access token is read-only: create a read-write token to change data."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, AccessToken):
            return False  # not signed in with a token: 401
        if token.workspace_id is not None and token.workspace_id in permissions.locked_workspace_ids(request):
            permissions.get_workspace_for_user(request, token.workspace_id)  # raises TwoFactorRequired
        return request.method in SAFE_METHODS or token.can_write


def workspace_ids_in_scope(request, member_of: list[int]) -> list[int]:
    """The user's workspaces the request's token reaches."""
    scope = request.auth.workspace_id
    return [pk for pk in member_of if scope is None or pk == scope]


def check_scope(request, workspace_id: int) -> None:
    """404 for an object of a workspace outside the token's scope."""
    scope = request.auth.workspace_id
    if scope is not None and scope != workspace_id:
        raise Http404("No such object.")
