"""Two factors around workspaces: an owner's switch requiring them of every member, and the page a
member without them gets instead of the workspace (the project's 403 handler)."""

from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dashboard.forms.security import TwoFactorRequirementForm
from dashboard.users import signed_in_user
from influence.core.permissions import get_owned_workspace_for_user
from influence.core.twofactor import TwoFactorRequired
from influence.workspaces.members import WorkspaceError
from influence.workspaces.twofactor import set_two_factor_requirement


@require_POST
def workspace_two_factor(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_owned_workspace_for_user(request, pk)
    form = TwoFactorRequirementForm(request.POST)
    required = form.is_valid() and form.cleaned_data["require_two_factor"]
    try:
        set_two_factor_requirement(workspace, signed_in_user(request), required)
    except WorkspaceError as refused:
        messages.error(request, str(refused))
    else:
        if required:
            messages.success(request, "Every member now needs two-factor authentication to see this workspace.")
        else:
            messages.success(request, "Two-factor authentication is no longer required in this workspace.")
    return redirect("workspace_settings", workspace.pk)


def two_factor_required(request: HttpRequest, exception: TwoFactorRequired) -> HttpResponseBase:
    """The 403 for a workspace requiring two factors the user has not set up: a page asking them to
    set them up (with nothing else of the workspace). Answered by the error pages' 403 handler."""
    context = {"workspace_name": exception.workspace.name}
    return render(request, "settings/two_factor_required.html", context, status=403)
