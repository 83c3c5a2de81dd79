"""Who may see and change what, in one place.

Every view looks its object up through one of these helpers. An object of a
workspace the user does not belong to answers 404 (its existence is not
revealed); a member whose role does not allow the change gets 403. A member
without two factors of a workspace that requires them gets TwoFactorRequired
(influence.core.twofactor): the workspace shows them nothing until they set it up.
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from influence.core.choices import Role
from influence.core.models import Account, Activity, Membership, Subject, User, Workspace
from influence.core.twofactor import TwoFactorRequired, has_two_factor, open_memberships

# What a page looks up by pk and gets back with the user's membership attached.
Guarded = TypeVar("Guarded", Subject, Account, Activity)
# Kept in the request's own attributes for the rest of the request.
MEMBERSHIPS = "_influence_memberships"
CURRENT = "_influence_current_membership"
LOCKED = "_influence_two_factor_locked"
# Why nothing of a sample subject changes (the demo's story, added from the first-run guide).
SAMPLE_READ_ONLY = "This is a sample subject: it cannot be changed. Delete it when you no longer need it."


def _check(request: HttpRequest, workspace_id: int, write: bool, owner: bool) -> Membership:
    membership = _memberships(request).get(workspace_id)
    if membership is None:
        raise Http404("No such object.")
    if workspace_id in locked_workspace_ids(request):
        raise TwoFactorRequired(membership.workspace)
    if owner and membership.role != Role.OWNER:
        raise PermissionDenied("Only an owner of this workspace can do that.")
    if write and not membership.can_edit:
        raise PermissionDenied("Viewers cannot change anything in this workspace.")
    return membership


def membership_for(user: User | AnonymousUser, workspace_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace_id=workspace_id).select_related("workspace").first()


def _memberships(request: HttpRequest) -> dict[int, Membership]:
    """Every membership of the user, with its workspace, by workspace id, in name order: read once
    and kept on the request for the rest of it (a page asks for the object's workspace, the
    navigation for the current one and the list of all). A user belongs to a handful of workspaces."""
    memo: dict[int, Membership] | None = request.__dict__.get(MEMBERSHIPS)
    if memo is None:
        user = request.user
        rows = (
            Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name", "workspace_id")
            if user.is_authenticated
            else []
        )
        memo = request.__dict__[MEMBERSHIPS] = {m.workspace_id: m for m in rows}
    return memo


def locked_workspace_ids(request: HttpRequest) -> frozenset[int]:
    """The user's workspaces that require two factors they have not set up (once per request; a
    query only when one of their workspaces requires them)."""
    locked: frozenset[int] | None = request.__dict__.get(LOCKED)
    if locked is None:
        requiring = [pk for pk, m in _memberships(request).items() if m.workspace.require_two_factor]
        user = request.user
        if requiring and isinstance(user, User) and not has_two_factor(user):
            locked = frozenset(requiring)
        else:
            locked = frozenset()
        request.__dict__[LOCKED] = locked
    return locked


def user_memberships(request: HttpRequest) -> list[Membership]:
    """Every workspace membership of the requesting user (the navigation's switcher), once per request."""
    return list(_memberships(request).values())


def get_workspace_for_user(request: HttpRequest, pk: int, write: bool = False, owner: bool = False) -> Workspace:
    membership = _check(request, pk, write, owner)
    workspace = membership.workspace
    workspace.membership = membership
    return workspace


def _get_in_workspace(
    queryset: QuerySet[Guarded], pk: int, request: HttpRequest, write: bool, owner: bool, workspace_path: str
) -> Guarded:
    """Fetch obj by pk joined with the requesting user's membership of its workspace."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("No such object.")
    workspace_id: Any = obj
    for part in workspace_path.split("."):
        workspace_id = getattr(workspace_id, part)
    obj.membership = _check(request, workspace_id, write, owner)
    return obj


def _refuse_sample(subject: Subject) -> None:
    """A sample subject is read-only for everyone (it can only be deleted, by its own page)."""
    if subject.is_sample:
        raise PermissionDenied(SAMPLE_READ_ONLY)


def get_subject_for_user(
    request: HttpRequest,
    pk: int,
    write: bool = False,
    owner: bool = False,
    queryset: QuerySet[Subject] | None = None,
    deleting: bool = False,
) -> Subject:
    """`queryset` (of subjects) lets a page read what it shows along with the subject, in the
    same query (annotations); the lookup and the checks are the same. A change of a sample
    subject is refused (403), but for its deletion (`deleting`)."""
    subjects = Subject.objects.all() if queryset is None else queryset
    subject = _get_in_workspace(subjects.select_related("workspace"), pk, request, write, owner, "workspace_id")
    if write and not deleting:
        _refuse_sample(subject)
    return subject


def get_account_for_user(request: HttpRequest, pk: int, write: bool = False, owner: bool = False) -> Account:
    account = _get_in_workspace(
        Account.objects.select_related("subject__workspace"), pk, request, write, owner, "subject.workspace_id"
    )
    if write:
        _refuse_sample(account.subject)
    return account


def get_activity_for_user(request: HttpRequest, pk: int, write: bool = False, owner: bool = False) -> Activity:
    activity = _get_in_workspace(
        Activity.objects.select_related("subject__workspace"), pk, request, write, owner, "subject.workspace_id"
    )
    if write:
        _refuse_sample(activity.subject)
    return activity


def get_owned_workspace_for_user(request: HttpRequest, pk: int) -> Workspace:
    """The workspace, if the user owns it: 404 for outsiders, 403 for editors and viewers."""
    return get_workspace_for_user(request, pk, owner=True)


def current_membership(request: HttpRequest) -> Membership | None:
    """The workspace the user is looking at: their chosen one, else their first (once per request)."""
    if CURRENT not in request.__dict__:
        request.__dict__[CURRENT] = _current_membership(request)
    current: Membership | None = request.__dict__[CURRENT]
    return current


def shown_membership(request: HttpRequest) -> Membership | None:
    """The current membership, for a page showing that workspace's content: TwoFactorRequired when
    it requires two factors the user has not set up. (The navigation uses current_membership, which
    never refuses.)"""
    membership = current_membership(request)
    if membership is not None and membership.workspace_id in locked_workspace_ids(request):
        raise TwoFactorRequired(membership.workspace)
    return membership


def current_membership_for_change(request: HttpRequest) -> Membership:
    """The current membership, for a change in that workspace (a new subject): 404 without a
    workspace, else the same checks as a change of any object in it (two factors, viewers)."""
    membership = current_membership(request)
    if membership is None:
        raise Http404("No workspace.")
    return _check(request, membership.workspace_id, write=True, owner=False)


def _current_membership(request: HttpRequest) -> Membership | None:
    memberships = _memberships(request)
    user = request.user
    if not memberships or not isinstance(user, User):
        return None
    chosen = memberships.get(user.current_workspace_id) if user.current_workspace_id else None
    if chosen:
        return chosen
    return next(iter(memberships.values()))  # the first by workspace name


def visible_subjects(user: User) -> QuerySet[Subject]:
    """Every subject of every workspace the user belongs to, but those requiring two factors the
    user has not set up."""
    workspaces = open_memberships(Membership.objects.filter(user=user)).values("workspace_id")
    return Subject.objects.filter(workspace_id__in=workspaces)
