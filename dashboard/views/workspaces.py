"""Workspaces: the list and switcher, creation, and the settings page with its members.

Every change is a POST looked up through the permission helpers: members see
the settings page, only owners change it (403 for the others, 404 for
outsiders). Refusals of the workspace rules come back as messages.
"""

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.forms.workspaces import InviteForm, RoleForm, TransferForm, WorkspaceForm
from dashboard.users import signed_in_user
from dashboard.views.auth import safe_next
from influence.core.choices import Role
from influence.core.models import Membership, Workspace
from influence.core.permissions import current_membership, get_workspace_for_user
from influence.workspaces import invitations, members


@require_safe
def workspace_list(request: HttpRequest) -> HttpResponseBase:
    memberships = Membership.objects.filter(user=signed_in_user(request)).select_related("workspace")
    current = current_membership(request)
    return render(
        request,
        "workspaces/list.html",
        {"memberships": memberships, "current_id": current.workspace_id if current else None},
    )


@require_http_methods(["GET", "POST"])
def workspace_create(request: HttpRequest) -> HttpResponseBase:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = members.create_workspace(signed_in_user(request), form.cleaned_data["name"])
        messages.success(request, f"Workspace “{workspace.name}” created; you are its owner.")
        return redirect("workspace_settings", workspace.pk)
    return render(request, "workspaces/create.html", {"form": form})


@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponseBase:
    try:
        pk = int(request.POST.get("workspace", ""))
    except ValueError:
        raise Http404("No such workspace.") from None
    workspace = get_workspace_for_user(request, pk)
    members.switch_workspace(signed_in_user(request), workspace)
    messages.success(request, f"Now showing {workspace.name}.")
    return redirect("home")


def _settings_page(
    request: HttpRequest, workspace: Workspace, status: int = 200, **forms: BaseForm
) -> HttpResponseBase:
    is_owner = workspace.membership.is_owner
    context: dict[str, Any] = {
        "workspace": workspace,
        "is_owner": is_owner,
        "members": workspace.memberships.select_related("user").order_by("user__email"),
        "roles": Role.choices,
    }
    if is_owner:
        context.update(
            {
                "rename_form": forms.get("rename_form") or WorkspaceForm(instance=workspace, prefix="rename"),
                "invite_form": forms.get("invite_form") or InviteForm(prefix="invite"),
                "transfer_form": forms.get("transfer_form")
                or TransferForm(workspace=workspace, user=signed_in_user(request), prefix="transfer"),
                "invitations": [
                    (invitation, invitations.invitation_url(invitation))
                    for invitation in invitations.pending_invitations(workspace)
                ],
            }
        )
    return render(request, "workspaces/settings.html", context, status=status)


@require_safe
def workspace_settings(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk)
    return _settings_page(request, workspace)


@require_POST
def workspace_rename(request: HttpRequest, pk: int) -> HttpResponseBase:
    """From the settings page, or on the spot from the home page (its `next`), where a refusal
    comes back as a message."""
    workspace = get_workspace_for_user(request, pk, owner=True)
    form = WorkspaceForm(request.POST, instance=workspace, prefix="rename")
    back = safe_next(request)
    if not form.is_valid():
        workspace.refresh_from_db(fields=["name"])
        if back:
            for error in form.errors.get("name", []):
                messages.error(request, f"Not renamed: {error}")
            return redirect(back)
        return _settings_page(request, workspace, status=400, rename_form=form)
    members.rename_workspace(workspace, form.cleaned_data["name"])
    messages.success(request, f"Workspace renamed to {workspace.name}.")
    return redirect(back or reverse("workspace_settings", args=[workspace.pk]))


@require_POST
def workspace_invite(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    form = InviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            link = invitations.invite(
                workspace, signed_in_user(request), form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except members.WorkspaceError as error:
            form.add_error("email", str(error))
        except invitations.TooManyInvitations as refusal:
            return _too_many_invitations(request, workspace, refusal)
        else:
            messages.success(
                request, f"Invitation sent to {link.invitation.email}; the link works once, for 7 days."
            )
            return redirect("workspace_settings", workspace.pk)
    return _settings_page(request, workspace, status=400, invite_form=form)


def _too_many_invitations(
    request: HttpRequest, workspace: Workspace, refusal: invitations.TooManyInvitations
) -> HttpResponseBase:
    context = {
        "title": "Too many invitations",
        "reason": str(refusal),
        "wait_minutes": refusal.wait_minutes,
        "back_url": reverse("workspace_settings", args=[workspace.pk]),
        "back_label": f"Back to {workspace.name}",
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(refusal.wait_minutes * 60)
    return response


@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    try:
        invitations.revoke_invitation(workspace, invitation_pk)
    except members.WorkspaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Invitation withdrawn; its link no longer works.")
    return redirect("workspace_settings", workspace.pk)


def _member_or_404(workspace: Workspace, member_pk: int) -> None:
    # A membership of another workspace is not revealed: 404, like any foreign object.
    if not workspace.memberships.filter(pk=member_pk).exists():
        raise Http404("No such member.")


@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    _member_or_404(workspace, member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: owner, editor or viewer.")
        return redirect("workspace_settings", workspace.pk)
    try:
        membership = members.change_role(workspace, member_pk, form.cleaned_data["role"])
    except members.WorkspaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
    return redirect("workspace_settings", workspace.pk)


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponseBase:
    """GET asks "remove this person?"; the POST of that page removes them."""
    workspace = get_workspace_for_user(request, pk, owner=True)
    _member_or_404(workspace, member_pk)
    if request.method != "POST":
        member = workspace.memberships.select_related("user").get(pk=member_pk)
        return render(request, "workspaces/member_remove.html", {"workspace": workspace, "member": member})
    try:
        membership = members.remove_member(workspace, member_pk)
    except members.WorkspaceError as error:
        messages.error(request, str(error))
        return redirect("workspace_settings", workspace.pk)
    messages.success(request, f"{membership.user.email} was removed from {workspace.name}.")
    if membership.user_id == signed_in_user(request).pk:
        return redirect("workspace_list")
    return redirect("workspace_settings", workspace.pk)


@require_POST
def workspace_transfer(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    user = signed_in_user(request)
    form = TransferForm(request.POST, workspace=workspace, user=user, prefix="transfer")
    if not form.is_valid():
        return _settings_page(request, workspace, status=400, transfer_form=form)
    target = members.transfer_ownership(workspace, user, form.cleaned_data["membership"].pk)
    messages.success(request, f"{target.user.email} now owns {workspace.name}; you are an editor.")
    return redirect("workspace_settings", workspace.pk)


@require_POST
def workspace_leave(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk)
    try:
        members.leave_workspace(workspace, signed_in_user(request))
    except members.WorkspaceError as error:
        messages.error(request, str(error))
        return redirect("workspace_settings", workspace.pk)
    messages.success(request, f"You left {workspace.name}.")
    return redirect("workspace_list")
