"""Who may see and change what, in one place.

Every view looks its object up through one of these helpers. An object of a
workspace the user does not belong to answers 404 (its existence is not
revealed); a member whose role does not allow the change gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from influence.core.choices import Role
from influence.core.models import Account, Activity, Membership, Subject, Workspace


def _check(membership: Membership | None, write: bool, owner: bool) -> Membership:
    if membership is None:
        raise Http404("No such object.")
    if owner and membership.role != Role.OWNER:
        raise PermissionDenied("Only an owner of this workspace can do that.")
    if write and not membership.can_edit:
        raise PermissionDenied("Viewers cannot change anything in this workspace.")
    return membership


def membership_for(user, workspace_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace_id=workspace_id).select_related("workspace").first()


def _memberships(request) -> dict[int, Membership]:
    """Every membership of the user, with its workspace, by workspace id, in name order: read once
    and kept on the request for the rest of it (a page asks for the object's workspace, the
    navigation for the current one and the list of all). A user belongs to a handful of workspaces."""
    memo = request.__dict__.get("_influence_memberships")
    if memo is None:
        user = request.user
        rows = (
            Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name", "workspace_id")
            if user.is_authenticated
            else []
        )
        memo = request._influence_memberships = {m.workspace_id: m for m in rows}
    return memo


def user_memberships(request) -> list[Membership]:
    """Every workspace membership of the requesting user (the navigation's switcher), once per request."""
    return list(_memberships(request).values())


def get_workspace_for_user(request, pk: int, write: bool = False, owner: bool = False) -> Workspace:
    membership = _check(_memberships(request).get(pk), write, owner)
    workspace = membership.workspace
    workspace.membership = membership
    return workspace


def _get_in_workspace(queryset, pk: int, request, write: bool, owner: bool, workspace_path: str):
    """Fetch obj by pk joined with the requesting user's membership of its workspace."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("No such object.")
    workspace_id = obj
    for part in workspace_path.split("."):
        workspace_id = getattr(workspace_id, part)
    obj.membership = _check(_memberships(request).get(workspace_id), write, owner)
    return obj


def get_subject_for_user(request, pk: int, write: bool = False, owner: bool = False, queryset=None) -> Subject:
    """`queryset` (of subjects) lets a page read what it shows along with the subject, in the
    same query (annotations); the lookup and the checks are the same."""
    subjects = Subject.objects if queryset is None else queryset
    return _get_in_workspace(subjects.select_related("workspace"), pk, request, write, owner, "workspace_id")


def get_account_for_user(request, pk: int, write: bool = False, owner: bool = False) -> Account:
    return _get_in_workspace(
        Account.objects.select_related("subject__workspace"), pk, request, write, owner, "subject.workspace_id"
    )


def get_activity_for_user(request, pk: int, write: bool = False, owner: bool = False) -> Activity:
    return _get_in_workspace(
        Activity.objects.select_related("subject__workspace"), pk, request, write, owner, "subject.workspace_id"
    )


def get_owned_workspace_for_user(request, pk: int) -> Workspace:
    """The workspace, if the user owns it: 404 for outsiders, 403 for editors and viewers."""
    return get_workspace_for_user(request, pk, owner=True)


def current_membership(request) -> Membership | None:
    """The workspace the user is looking at: their chosen one, else their first (once per request)."""
    if "_influence_current_membership" not in request.__dict__:
        request._influence_current_membership = _current_membership(request)
    return request._influence_current_membership


def _current_membership(request) -> Membership | None:
    memberships = _memberships(request)
    if not memberships:
        return None
    chosen = memberships.get(request.user.current_workspace_id)
    if chosen:
        return chosen
    return next(iter(memberships.values()))  # the first by workspace name


def visible_subjects(user):
    """Every subject of every workspace the user belongs to."""
    return Subject.objects.filter(workspace__memberships__user=user)
