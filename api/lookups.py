"""Objects by id for the API: the pages' own checks (influence.core.permissions), then the token's scope.

The role rules are the pages' (404 outside the user's workspaces, 403 for a
viewer's change); the token narrows them: outside its workspace, 404 as well.
A change is checked for the role only once the object is known to be in scope,
so a token never learns more about another workspace than an outsider would.
"""

from influence.core import permissions
from influence.core.models import Account, Activity, Subject, Workspace

from .permissions import check_scope, workspace_ids_in_scope


def workspaces(request) -> list[Workspace]:
    locked = permissions.locked_workspace_ids(request)  # requiring two factors the user has not set up
    memberships = {m.workspace_id: m for m in permissions.user_memberships(request) if m.workspace_id not in locked}
    found = []
    for pk in workspace_ids_in_scope(request, list(memberships)):
        workspace = memberships[pk].workspace
        workspace.membership = memberships[pk]
        found.append(workspace)
    return found


def workspace(request, pk: int, write: bool = False) -> Workspace:
    found = permissions.get_workspace_for_user(request, pk)
    check_scope(request, found.pk)
    return permissions.get_workspace_for_user(request, pk, write=True) if write else found


def subject(request, pk: int, write: bool = False, deleting: bool = False) -> Subject:
    found = permissions.get_subject_for_user(request, pk)
    check_scope(request, found.workspace_id)
    return permissions.get_subject_for_user(request, pk, write=True, deleting=deleting) if write else found


def account(request, pk: int, write: bool = False) -> Account:
    found = permissions.get_account_for_user(request, pk)
    check_scope(request, found.subject.workspace_id)
    return permissions.get_account_for_user(request, pk, write=True) if write else found


def activity(request, pk: int, write: bool = False) -> Activity:
    found = permissions.get_activity_for_user(request, pk)
    check_scope(request, found.subject.workspace_id)
    return permissions.get_activity_for_user(request, pk, write=True) if write else found
