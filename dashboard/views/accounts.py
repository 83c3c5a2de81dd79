"""Network accounts: add (checked live against the network), edit, pause, resume, delete,
"collect now", a manual account's counts, and a workspace's API credentials.

Objects are looked up through influence.core.permissions (404 for outsiders,
403 for viewers on changes); the subject comes from the URL or the account.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dashboard.forms.accounts import HANDLE_HELP, AccountEditForm, AccountForm, CountsForm, CredentialsForm
from influence import collection
from influence.collection.tasks import queue_collection
from influence.connectors import ConnectorError, HostNotFound, NeedsKey, NotFound, TemporaryError
from influence.core.choices import AccountStatus, CredentialName, Network
from influence.core.models import Account, Credential, Subject
from influence.core.permissions import get_account_for_user, get_subject_for_user, get_workspace_for_user
from influence.workspaces import credentials


def _subject_page(subject_id: int) -> str:
    return reverse("subject_detail", args=[subject_id]) + "#accounts"


def _check(
    form: AccountForm | AccountEditForm, workspace_id: int, network: str, handle: str, instance_url: str,
    save_unchecked: bool = False,
) -> collection.CheckedHandle | None:
    """Fetch the handle live; on failure, put the reason on the form and return None.

    When the network cannot be asked now, the form offers to save the account
    unchecked (`form.cannot_check`); `save_unchecked` is that choice.
    """
    try:
        return collection.check_handle(workspace_id, network, handle, instance_url, save_unchecked=save_unchecked)
    except ValueError as exc:
        form.add_error("handle", str(exc))
    except collection.CannotCheckNow as exc:
        form.cannot_check = str(exc)
        if isinstance(form, AccountForm):
            form.add_error(
                None, f"Couldn't check it now: {exc} Nothing was added yet: try again, or save it unchecked."
            )
        else:
            form.add_error(None, f"Couldn't check the new handle now: {exc} Nothing was saved; try again later.")
    except NotFound as exc:
        form.add_error("handle", f"{exc} Check the spelling.")
    except HostNotFound as exc:
        field = "instance_url" if "instance_url" in form.fields and instance_url else "handle"
        form.add_error(field, f"{exc} Check the address; nothing was added.")
    except NeedsKey as exc:
        where = "in the workspace's API credentials" if form.can_enter_keys else "(ask a workspace owner)"
        form.add_error("handle", f"{exc} Enter the key {where}, then add the account again.")
    except TemporaryError as exc:
        form.add_error(None, f"{exc} Nothing was added; try again in a moment.")
    except ConnectorError as exc:
        form.add_error(None, f"{exc} Nothing was added.")
    return None


def _form_page(
    request: HttpRequest, subject: Subject, form: AccountForm | AccountEditForm, account: Account | None = None
) -> HttpResponseBase:
    context = {"subject": subject, "form": form, "account": account, "handle_help": dict(HANDLE_HELP)}
    return render(request, "accounts/form.html", context)


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    form = AccountForm(request.POST or None, subject=subject)
    form.can_enter_keys = subject.membership.is_owner
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        network, handle, instance_url = data["network"], data["handle"], data["instance_url"]
        checked = None
        if network != Network.MANUAL:
            save_unchecked = request.POST.get("save_unchecked") == "1"
            checked = _check(form, subject.workspace_id, network, handle, instance_url, save_unchecked)
        if not form.errors:
            metrics, not_checked = (checked.metrics, checked.not_checked) if checked else (None, "")
            try:
                account = collection.add_account(
                    subject, network, handle, instance_url, data["label"], metrics, not_checked=not_checked
                )
            except IntegrityError:
                form.add_error("handle", f"{subject.name} already has this account.")
            else:
                return _added(request, account, not_checked)
    return _form_page(request, subject, form)


def _added(request: HttpRequest, account: Account, not_checked: str = "") -> HttpResponseBase:
    if account.network == Network.MANUAL:
        messages.success(request, f"Added {account.display_name}. Enter its counts.")
        return redirect("account_counts", account.pk)
    if not_checked:
        queue_collection(account.pk)
        messages.warning(
            request, f"Added {account.display_name} without checking it: couldn't check it now; "
            "it will be collected when the network answers.",
        )
    elif collection.needs_first_collection(account):
        queue_collection(account.pk)
        messages.success(request, f"Added {account.display_name}; its history is being collected.")
    else:
        messages.success(request, f"Added {account.display_name} with its current numbers.")
    return redirect(_subject_page(account.subject_id))


@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    form = AccountEditForm(request.POST or None, instance=account)
    form.can_enter_keys = account.membership.is_owner
    if request.method == "POST" and form.is_valid():
        metrics = None
        if form.handle_changed and account.network != Network.MANUAL:
            data = form.cleaned_data
            checked = _check(
                form, account.subject.workspace_id, account.network,
                data["handle"], data.get("instance_url", ""),
            )
            metrics = checked.metrics if checked else None
        if not form.errors:
            try:
                collection.save_account(form.instance, form.handle_changed, metrics)
            except IntegrityError:
                form.add_error("handle", f"{account.subject.name} already has this account.")
            else:
                if form.handle_changed and collection.needs_first_collection(account):
                    queue_collection(account.pk)
                messages.success(request, f"Saved {account.display_name}.")
                return redirect(_subject_page(account.subject_id))
    return _form_page(request, account.subject, form, account)


@require_POST
def account_pause(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    collection.pause(account)
    messages.success(request, f"Paused {account.display_name}: it is not collected until resumed.")
    return redirect(_subject_page(account.subject_id))


@require_POST
def account_resume(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    status = collection.resume(account)
    note = " It is still flagged as failing until a collection succeeds." if status == AccountStatus.FAILING else ""
    messages.success(request, f"Resumed {account.display_name}.{note}")
    return redirect(_subject_page(account.subject_id))


@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    subject = account.subject
    if request.method == "POST":
        name = account.display_name
        collection.delete_account(account)
        messages.success(request, f"Deleted {name} and its numbers; the score is being recomputed.")
        return redirect(_subject_page(subject.pk))
    observations = account.observations.count()
    return render(request, "accounts/confirm_delete.html",
                  {"subject": subject, "account": account, "observations": observations})


@require_POST
def account_collect(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    if account.network == Network.MANUAL:
        messages.error(request, f"{account.display_name} is entered by hand: use “Enter counts”.")
    elif account.status == AccountStatus.PAUSED:
        messages.warning(request, f"{account.display_name} is paused: resume it first.")
    elif queue_collection(account.pk):
        messages.success(request, f"Collecting {account.display_name} now; this page updates when it is done.")
    else:
        messages.info(request, f"A collection of {account.display_name} is already on its way.")
    return redirect(_subject_page(account.subject_id))


@require_http_methods(["GET", "POST"])
def account_counts(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_account_for_user(request, pk, write=True)
    if account.network != Network.MANUAL:
        raise Http404("Only manual accounts take their counts from a form.")
    form = CountsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        try:
            collection.enter_counts(account, day, form.values)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved the counts of {account.display_name} for {day:%Y-%m-%d}.")
            return redirect(_subject_page(account.subject_id))
    recent = account.observations.order_by("-day", "metric")[:20]
    return render(request, "accounts/counts.html",
                  {"subject": account.subject, "account": account, "form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
def workspace_credentials(request: HttpRequest, pk: int) -> HttpResponseBase:
    workspace = get_workspace_for_user(request, pk, owner=True)
    rows_stored = list(Credential.objects.filter(workspace=workspace))
    # A value no key opens counts as not stored: the form asks for it, the table says so.
    unreadable = {c.name for c in rows_stored if not credentials.readable(c)}
    stored = {c.name: credentials.masked(c) for c in rows_stored if c.name not in unreadable}
    if request.method == "POST" and "remove" in request.POST:
        name = request.POST["remove"]
        if credentials.remove_credential(workspace, name):
            messages.success(request, "Removed the credential; the instance's own applies again, if any.")
        return redirect("workspace_credentials", workspace.pk)
    form = CredentialsForm(request.POST or None, stored=stored)
    if request.method == "POST" and form.is_valid():
        entered = form.entered
        with transaction.atomic():
            for name, value in entered.items():
                credentials.set_credential(workspace, name, value)
        if entered:
            retried = _retry_accounts_needing_a_key(workspace.pk)
            again = f" Collecting {retried} account(s) that needed a key." if retried else ""
            messages.success(request, f"Saved {len(entered)} credential(s).{again}")
        else:
            messages.info(request, "Nothing entered: the stored credentials are unchanged.")
        return redirect("workspace_credentials", workspace.pk)
    rows = [
        (name, label, credentials.NEEDS_AGAIN if name in unreadable else stored.get(name), name in unreadable)
        for name, label in CredentialName.choices
    ]
    return render(request, "accounts/credentials.html", {"workspace": workspace, "form": form, "rows": rows})


def _retry_accounts_needing_a_key(workspace_id: int) -> int:
    ids = Account.objects.filter(
        subject__workspace_id=workspace_id, status=AccountStatus.NEEDS_KEY
    ).values_list("pk", flat=True)
    return sum(queue_collection(pk) for pk in ids)
