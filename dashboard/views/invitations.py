"""The invitation link's landing page: public, so that a newcomer can see what they were invited to.

The page shows the workspace and the role, and then, by who is looking:
- a visitor without an account signs up right there, the invited address filled in and
  fixed; confirming that address (the link emailed at sign-up) joins the workspace;
- the invited person, logged in with that address confirmed, joins in one click;
- the invited person whose address is not confirmed yet is asked to confirm it (and can
  have the link sent again): confirming it then joins the workspace in the same step;
- anyone else logged in is told the invitation is for another address.
"""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dashboard.forms.auth import SignUpForm
from influence.core.addresses import has_verified_address
from influence.core.models import Invitation, User
from influence.workspaces import invitations


def _invalid(request: HttpRequest, reason: str) -> HttpResponseBase:
    return render(request, "workspaces/invitation_invalid.html", {"reason": reason}, status=410)


def _confirm_first(request: HttpRequest, invitation: Invitation, user: User, token: str) -> HttpResponseBase:
    """The "confirm your address" page: the invitation is claimed, so confirming joins."""
    invitations.claim_invitation(invitation, user)
    address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email).first()
    return render(
        request,
        "workspaces/invitation_confirm.html",
        {"invitation": invitation, "token": token, "address": address},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        invitation = invitations.read_invitation(token)
    except invitations.InvitationError as unreadable:
        return _invalid(request, str(unreadable))

    user = request.user
    error = None
    if isinstance(user, User) and user.email.lower() == invitation.email.lower():
        if not has_verified_address(user, invitation.email):
            return _confirm_first(request, invitation, user, token)
        if request.method == "POST":
            try:
                membership = invitations.accept_invitation(token, user)
            except invitations.InvitationError as refusal:
                return _invalid(request, str(refusal))
            messages.success(
                request, f"Welcome to {invitation.workspace.name}: you are {membership.get_role_display().lower()}."
            )
            return redirect("home")
    elif request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert isinstance(user, User)
        error = (
            f"This invitation is for {invitation.email}; you are signed in as {user.email}. "
            "Log out and sign in with the invited address."
        )

    signup_form = None if user.is_authenticated else SignUpForm(initial={"invitation": token})
    return render(
        request,
        "workspaces/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "signup_form": signup_form,
            "email_matches": isinstance(user, User) and user.email.lower() == invitation.email.lower(),
        },
        status=403 if error else 200,
    )
