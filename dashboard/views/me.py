"""Your data: download everything as a zip, or delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.forms.workspaces import DeleteAccountForm
from influence.workspaces.privacy import delete_account, export_archive, workspaces_deleted_with


@require_safe
def my_data(request):
    return render(request, "me/data.html", {"doomed": workspaces_deleted_with(request.user)})


@require_safe
def my_data_export(request):
    archive = export_archive(request.user)
    filename = f"influence-data-{timezone.now():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


def my_account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        names = delete_account(request.user)
        logout(request)
        deleted = f" Deleted with it: {', '.join(names)}." if names else ""
        messages.success(request, f"Your account was deleted.{deleted}")
        return redirect("login")
    return render(
        request,
        "me/delete.html",
        {"form": form, "doomed": workspaces_deleted_with(request.user)},
        status=400 if form.is_bound else 200,
    )
