"""Your data: download everything as a zip, or delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dashboard.forms.workspaces import DeleteAccountForm
from dashboard.users import signed_in_user
from influence.workspaces.privacy import delete_account, export_archive, workspaces_deleted_with


@require_safe
def my_data(request: HttpRequest) -> HttpResponseBase:
    return render(request, "me/data.html", {"doomed": workspaces_deleted_with(signed_in_user(request))})


@require_safe
def my_data_export(request: HttpRequest) -> HttpResponseBase:
    archive = export_archive(signed_in_user(request))
    filename = f"influence-data-{timezone.now():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def my_account_delete(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        names = delete_account(user)
        logout(request)
        deleted = f" Deleted with it: {', '.join(names)}." if names else ""
        messages.success(request, f"Your account was deleted.{deleted}")
        return redirect("account_login")
    return render(
        request,
        "me/delete.html",
        {"form": form, "doomed": workspaces_deleted_with(user)},
        status=400 if form.is_bound else 200,
    )
