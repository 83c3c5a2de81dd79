"""Who may see and change what, in one place.

Every view looks its object up through one of these helpers. An object of a
workspace the user does not belong to answers 404 (its existence is not
revealed); a member whose role does not allow the change gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from influence.core.choices import Role
from influence.core.models import Account, Activity, Membership, Subject, Workspace
from influence.core.rows import Converter, convert_row, field_converters


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
    """Every membership of the user, with its workspace, by workspace id: one query, remembered
    for the rest of the request (a page asks for the object's workspace, the navigation for the
    current one and the list of all). A user belongs to a handful of workspaces."""
    cache = request.__dict__.get("_influence_memberships")
    if cache is None:
        user = request.user
        rows = _read_memberships(user.pk) if user.is_authenticated else []
        cache = request._influence_memberships = {m.workspace_id: m for m in rows}
    return cache


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _memberships_sql() -> str:
    """The user's memberships joined with their workspaces, ordered by workspace name: what
    `Membership.objects.filter(user=...).select_related("workspace")` reads, written once, as
    it is asked for on every page and the ORM's compilation cost more than the query."""
    quote = connection.ops.quote_name
    members, spaces = Membership._meta.db_table, Workspace._meta.db_table
    select = [f"{quote(members)}.{quote(Membership._meta.get_field(name).column)}" for name in _columns(Membership)]
    select += [f"{quote(spaces)}.{quote(Workspace._meta.get_field(name).column)}" for name in _columns(Workspace)]
    workspace_fk = quote(Membership._meta.get_field("workspace").column)
    user_fk = quote(Membership._meta.get_field("user").column)
    return (
        f"SELECT {', '.join(select)} FROM {quote(members)} INNER JOIN {quote(spaces)} "
        f"ON {quote(members)}.{workspace_fk} = {quote(spaces)}.{quote(Workspace._meta.pk.column)} "
        f"WHERE {quote(members)}.{user_fk} = %s "
        f"ORDER BY {quote(spaces)}.{quote(Workspace._meta.get_field('name').column)}, {quote(members)}.{workspace_fk}"
    )


def _converters() -> list[Converter]:
    """The database-to-Python conversions of the selected columns, as the ORM applies them."""
    return field_converters(list(Membership._meta.concrete_fields) + list(Workspace._meta.concrete_fields))


_MEMBERSHIPS_READ: list = []


def _read_memberships(user_id: int) -> list[Membership]:
    if not _MEMBERSHIPS_READ:
        _MEMBERSHIPS_READ.append((_memberships_sql(), _converters()))
    sql, converters = _MEMBERSHIPS_READ[0]
    membership_fields, workspace_fields = _columns(Membership), _columns(Workspace)
    split = len(membership_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    workspace_cache = Membership._meta.get_field("workspace")
    memberships = []
    for row in rows:
        row = convert_row(row, converters)
        membership = Membership.from_db(connection.alias, membership_fields, row[:split])
        workspace_cache.set_cached_value(membership, Workspace.from_db(connection.alias, workspace_fields, row[split:]))
        memberships.append(membership)
    return memberships


def _membership(request, workspace_id) -> Membership | None:
    """membership_for, answered from the request's memberships."""
    try:
        return _memberships(request).get(int(workspace_id))
    except (TypeError, ValueError):
        return None


def user_memberships(request) -> list[Membership]:
    """Every workspace membership of the requesting user (the navigation's switcher), once per request."""
    return list(_memberships(request).values())


def forget_memberships(request) -> None:
    """Drop the request's remembered memberships after a view changed them."""
    request.__dict__.pop("_influence_memberships", None)
    request.__dict__.pop("_influence_current_membership", None)


def get_workspace_for_user(request, pk: int, write: bool = False, owner: bool = False) -> Workspace:
    membership = _check(_membership(request, pk), write, owner)
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
    obj.membership = _check(_membership(request, workspace_id), write, owner)
    return obj


def check_subject_for_user(request, subject: Subject | None, write: bool = False, owner: bool = False) -> Subject:
    """get_subject_for_user's checks on a subject a page has read itself (None: not found), with
    the workspace taken from the user's membership."""
    if subject is None:
        raise Http404("No such object.")
    subject.membership = _check(_membership(request, subject.workspace_id), write, owner)
    Subject._meta.get_field("workspace").set_cached_value(subject, subject.membership.workspace)
    return subject


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
