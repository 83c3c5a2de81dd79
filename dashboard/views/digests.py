from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dashboard.forms.digests import DigestPreferencesForm, DigestSubjectsForm
from dashboard.forms.home import SubjectSearchForm
from dashboard.users import signed_in_user
from influence.core.models import User
from influence.core.permissions import visible_subjects
from influence.core.ratelimit import RateLimited
from influence.digests import picks, preview, selection, tokens

# Subjects per page of the picking list: a workspace may hold thousands.
SUBJECTS_PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponseBase:
    """The user's own weekly-summary settings (no workspace involved: only their own row) and the
    subjects the email covers, picked from a searchable, paged list of those they can see.

    Four forms post here, told apart by `action`: the schedule (the default), one page of
    picks ("subjects"), back to all subjects ("all"), and "send it to me now" ("send_now")."""
    user = signed_in_user(request)
    action = request.POST.get("action", "schedule") if request.method == "POST" else None
    form = DigestPreferencesForm(request.POST if action == "schedule" else None, instance=user)
    subjects_form = DigestSubjectsForm(request.POST if action == "subjects" else None, user=user)
    here = f"{reverse('digest_preferences')}?{request.GET.urlencode()}" if request.GET else "digest_preferences"
    if action == "schedule" and form.is_valid():
        form.save()
        messages.success(request, "Your weekly email settings are saved.")
        return redirect("digest_preferences")
    if action == "subjects" and subjects_form.is_valid():
        picks.update(user, subjects_form.cleaned_data["shown"], subjects_form.cleaned_data["picked"])
        messages.success(request, "The subjects of your weekly email are saved.")
        return redirect(here)
    if action == "all":
        picks.cover_all(user)
        messages.success(request, "Your weekly email covers all the subjects you can see.")
        return redirect(here)
    if action == "send_now":
        _send_now(request, user)
        return redirect(here)
    user.refresh_from_db()
    upcoming = selection.next_send(user, timezone.now())
    return render(
        request,
        "digests/preferences.html",
        {
            "form": form,
            "subjects_form": subjects_form,
            "next_send": upcoming[0] if upcoming else None,
            "send_zone": selection.zone(user.time_zone).key,
            "due_now": bool(upcoming and upcoming[1]),
            **_subject_list(request, user),
        },
    )


def _send_now(request: HttpRequest, user: User) -> None:
    try:
        sent = preview.send_now(user, timezone.now())
    except RateLimited as limited:
        messages.error(request, f"Sent enough for now: try again in {limited.wait_minutes} minutes.")
        return
    if sent:
        messages.success(request, f"This week's email is on its way to {user.email}. Your scheduled email still comes.")
    else:
        messages.info(request, "There is nothing to send: you do not see any subject yet.")


# The email's own HTML carries inline styles (mail clients need them) and no script: shown in a
# frame of the settings page, with a policy that lets those styles through and nothing else.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)


@require_http_methods(["GET"])
@xframe_options_sameorigin
def preview_email(request: HttpRequest) -> HttpResponseBase:
    """This week's email as it would be sent now, for the frame on the weekly email page."""
    message = preview.this_week(signed_in_user(request), timezone.now())
    if message is None:
        html = "<p style='font-family:sans-serif'>You do not see any subject yet: there is no email to send.</p>"
    else:
        html = preview.as_page(message)
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response


def _subject_list(request: HttpRequest, user: User) -> dict[str, Any]:
    """One page of the subjects the user can see, as the query string asks (`q` searches the
    names, `only=picked` keeps the picks), with which of them are picked."""
    # The home page's search: a refused value (a NUL character, too long, page -1) falls back to the default.
    search = SubjectSearchForm(request.GET).query()
    q = search.q
    only_picked = request.GET.get("only") == "picked"
    listed = (picks.picked(user) if only_picked else visible_subjects(user)).select_related("workspace")
    if q:
        listed = listed.filter(name__icontains=q)
    page = Paginator(listed.order_by("name", "pk"), SUBJECTS_PAGE_SIZE).get_page(search.page)
    on_page = [subject.pk for subject in page.object_list]
    return {
        "page": page,
        "picked_on_page": set(user.digest_subjects.filter(pk__in=on_page).values_list("pk", flat=True)),
        "picked_count": picks.picked(user).count(),
        "visible_count": visible_subjects(user).count(),
        "q": q,
        "only_picked": only_picked,
    }


# One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" without any
# cookie or CSRF token. The signed token is what authorises the change, so CSRF adds nothing here.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponseBase:
    user = tokens.user_for_token(token)
    if user is None:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "digests/unsubscribe.html", {"email": user.email, "enabled": user.digest_enabled})
    changed = tokens.unsubscribe(user)
    return render(request, "digests/unsubscribe_done.html", {"email": user.email, "changed": changed})
