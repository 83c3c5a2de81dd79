import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dashboard.forms.digests import DigestPreferencesForm
from dashboard.users import signed_in_user
from influence.digests import selection, tokens


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponseBase:
    """The user's own weekly-summary settings (no workspace involved: only their own row)."""
    user = signed_in_user(request)
    form = DigestPreferencesForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your weekly email settings are saved.")
        return redirect("digest_preferences")
    user.refresh_from_db()
    upcoming = selection.next_send(user, timezone.now())
    return render(
        request,
        "digests/preferences.html",
        {
            "form": form,
            "next_send": upcoming[0] if upcoming else None,
            "send_zone": selection.zone(user.time_zone).key,
            "due_now": bool(upcoming and upcoming[1]),
            "time_zones": sorted(zoneinfo.available_timezones()),
        },
    )


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
