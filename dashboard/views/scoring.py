"""A workspace's score parameters: members read them, owners change them (and the history is recomputed)."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.forms.scoring import ParametersForm
from dashboard.users import signed_in_user
from influence import scoring
from influence.core.models import Workspace
from influence.core.permissions import get_workspace_for_user
from influence.scoring import changes, recompute
from influence.scoring.queue import queue_workspace_recompute


@require_http_methods(["GET", "POST"])
def workspace_scoring(request: HttpRequest, pk: int) -> HttpResponseBase:
    is_post = request.method == "POST"
    workspace = get_workspace_for_user(request, pk, owner=is_post)
    current = scoring.Parameters.from_overrides(workspace.score_parameters)
    is_owner = workspace.membership.is_owner
    form = ParametersForm(request.POST if is_post else None, current=current, read_only=not is_owner)
    if is_post and form.is_valid():
        _save(request, workspace, form.overrides())
        return redirect("workspace_scoring", workspace.pk)
    # The latest saves, and whether there are older ones.
    saves = list(changes.changes_of(workspace.pk, changes.SHOWN_CHANGES + 1))
    return render(
        request,
        "scoring/parameters.html",
        {
            "workspace": workspace,
            "form": form,
            "is_owner": is_owner,
            "version": current.version,
            "default_version": scoring.Parameters().version,
            "run": recompute.latest_recompute(workspace.pk),
            "changes": saves[: changes.SHOWN_CHANGES],
            "more_changes": len(saves) > changes.SHOWN_CHANGES,
        },
        # A form sent back with errors answers 400, like the project's other forms.
        status=400 if is_post else 200,
    )


@require_POST
def workspace_scoring_reset(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    _save(request, workspace, {})
    return redirect("workspace_scoring", workspace.pk)


def _save(request: HttpRequest, workspace: Workspace, overrides: dict[str, Any]) -> None:
    before = scoring.Parameters.from_overrides(workspace.score_parameters)
    after = scoring.Parameters.from_overrides(overrides)
    if before.version == after.version:
        messages.info(request, f"The parameters did not change; the model version is still {after.version}.")
        return
    with transaction.atomic():
        workspace.score_parameters = overrides
        workspace.save(update_fields=["score_parameters"])
        changes.record(workspace, signed_in_user(request), before, after)
        queue_workspace_recompute(workspace)
    messages.success(
        request, f"Saved. The model version is now {after.version}; the history is being recomputed."
    )


@require_safe
def workspace_scoring_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk)
    return JsonResponse(recompute.progress_json(recompute.latest_recompute(workspace.pk)))
