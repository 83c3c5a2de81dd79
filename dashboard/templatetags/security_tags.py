"""The workspace settings page's two-factor panel (owners only; display only)."""

from typing import Any

from django import template

from dashboard.forms.security import TwoFactorRequirementForm
from influence.core.models import Workspace
from influence.workspaces.twofactor import members_without_two_factor

register = template.Library()


@register.inclusion_tag("settings/_workspace_two_factor.html", takes_context=True)
def workspace_two_factor(context: template.Context, workspace: Workspace) -> dict[str, Any]:
    form = TwoFactorRequirementForm(initial={"require_two_factor": workspace.require_two_factor})
    return {
        "workspace": workspace,
        "form": form,
        "missing": members_without_two_factor(workspace),
        "csrf_token": context.get("csrf_token"),
    }
