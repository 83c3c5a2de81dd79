"""The invitation link's landing page: public, so that a newcomer can see what they were invited to.

Only the signed-in user whose email the invitation names can accept it, so a
forwarded or leaked link does not let someone else in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from influence.workspaces import invitations


def _signup_url() -> str | None:
    # Sign-up lives in the auth area; the page offers it when that URL exists.
    try:
        return reverse("account_signup")
    except NoReverseMatch:
        return None


def _invalid(request: HttpRequest, reason: str) -> HttpResponseBase:
    return render(request, "workspaces/invitation_invalid.html", {"reason": reason}, status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        invitation = invitations.read_invitation(token)
    except invitations.InvitationError as unreadable:
        return _invalid(request, str(unreadable))

    user = request.user
    error = None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = invitations.accept_invitation(token, user)
        except invitations.InvitationForSomeoneElse as refusal:
            error = str(refusal)
        except invitations.InvitationError as refusal:
            return _invalid(request, str(refusal))
        else:
            messages.success(
                request, f"Welcome to {invitation.workspace.name}: you are {membership.get_role_display().lower()}."
            )
            return redirect("home")

    return render(
        request,
        "workspaces/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "signup_url": _signup_url(),
            "email_matches": user.is_authenticated and user.email.lower() == invitation.email.lower(),
        },
        status=403 if error else 200,
    )
