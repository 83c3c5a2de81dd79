"""Share links: created and revoked on the subject page; the shared report itself, opened by anyone with the link.

The report's pages are public (login_not_required) and show that subject alone:
no navigation, nothing of its workspace. They are marked noindex in the page and
in an X-Robots-Tag header. A link revoked or expired answers 410; a wrong
password 403 with the password form again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.forms.sharing import ShareLinkForm, SharePasswordForm
from dashboard.users import signed_in_user
from influence.core.clientaddress import client_address
from influence.core.models import ShareLink
from influence.core.permissions import get_subject_for_user
from influence.scoring.snapshots import today
from influence.sharing import links
from influence.sharing.report import build_report, report_series

# The session remembers the links whose password this visitor typed, for the report's chart data.
UNLOCKED = "shared_reports_unlocked"


def _subject_page(subject_id: int) -> str:
    return reverse("subject_detail", args=[subject_id]) + "#sharing"


@require_POST
def share_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        link = links.create_link(
            subject, signed_in_user(request), form.cleaned_data["days"], form.cleaned_data["password"]
        )
        messages.success(
            request, f"Shared {subject.name}'s report until {link.expires_at:%Y-%m-%d}: copy the link below."
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"No link created: {error}")
    return redirect(_subject_page(subject.pk))


@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    link = get_object_or_404(ShareLink.objects.select_related("subject"), pk=pk)
    subject = get_subject_for_user(request, link.subject_id, write=True)
    if links.revoke_link(link):
        messages.success(request, "Revoked the link: it now shows “no longer shared”.")
    return redirect(_subject_page(subject.pk))


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    return _noindex(render(request, "sharing/gone.html", {"message": message}, status=410))


def _open(request: HttpRequest, token: str) -> ShareLink:
    try:
        return links.open_link(token)
    except links.LinkNotFound:
        raise Http404("There is no report at this address.") from None


def _unlocked(request: HttpRequest, link: ShareLink) -> bool:
    return not link.has_password or link.pk in request.session.get(UNLOCKED, [])


@login_not_required
@require_http_methods(["GET", "POST"])
def shared_report(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        link = _open(request, token)
    except links.LinkGone as gone:
        return _gone(request, str(gone))
    if not _unlocked(request, link):
        form = SharePasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if links.password_matches(link, form.cleaned_data["password"], client_address(request)):
                    request.session[UNLOCKED] = [*request.session.get(UNLOCKED, []), link.pk]
                    return redirect(request.path)
                form.add_error("password", "That is not the password of this report.")
            except links.TooManyGuesses as refused:
                form.add_error(None, str(refused))
        return _noindex(render(request, "sharing/password.html", {"form": form}, status=403))
    links.record_view(link)
    report = build_report(link, today())
    context = {"report": report, "series_url": reverse("shared_report_series", args=[token])}
    return _noindex(render(request, "sharing/report.html", context))


@login_not_required
@require_safe
def shared_report_series(request: HttpRequest, token: str) -> HttpResponseBase:
    """The trend chart's data, for a named range (30d, 90d, 1y, all)."""
    try:
        link = _open(request, token)
    except links.LinkGone as gone:
        return _noindex(JsonResponse({"error": str(gone)}, status=410))
    if not _unlocked(request, link):
        return _noindex(JsonResponse({"error": "Enter the report's password first."}, status=403))
    return _noindex(JsonResponse(report_series(link, request.GET.get("range"), today())))
