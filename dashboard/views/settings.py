"""The user's own settings on one page: profile, email addresses, password, two factors, sessions,
weekly email, and API access tokens. The changes themselves happen on allauth's pages (email,
password, two factors, sessions) and the product's (weekly email, tokens), linked from here."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.forms.tokens import TokenForm
from dashboard.sessions import last_seen
from dashboard.users import signed_in_user
from influence.apitokens import tokens
from influence.apitokens.tokens import NewToken


def _page(
    request: HttpRequest, form: TokenForm, new_token: NewToken | None = None, status: int = 200
) -> HttpResponseBase:
    user = signed_in_user(request)
    context = {"form": form, "tokens": tokens.tokens_of(user), "new_token": new_token, **_account(request)}
    return render(request, "settings/index.html", context, status=status)


def _account(request: HttpRequest) -> dict[str, Any]:
    """What the page shows of the account itself: addresses, two factors, sessions, other sites."""
    user = signed_in_user(request)
    factors = {a.type: a.wrap() for a in Authenticator.objects.filter(user_id=user.pk)}
    # Sessions that ended (logged out, expired, or a password changed since) are dropped as they are read.
    sessions = sorted(UserSession.objects.purge_and_list(user), key=last_seen, reverse=True)
    return {
        "email_addresses": EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email"),
        "totp": factors.get(Authenticator.Type.TOTP),
        "recovery_codes": factors.get(Authenticator.Type.RECOVERY_CODES),
        "sessions": sessions,
        "social_accounts": SocialAccount.objects.filter(user_id=user.pk),
        "social_providers": get_social_adapter().list_providers(request),
    }


@require_safe
def user_settings(request: HttpRequest) -> HttpResponseBase:
    return _page(request, TokenForm(user=signed_in_user(request)))


@require_POST
def token_create(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = TokenForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, form, status=400)
    # The secret is on this answer only: it is not kept anywhere to show again.
    new_token = tokens.create_token(
        user, form.cleaned_data["name"], form.chosen_workspace, form.can_write, form.expires_at
    )
    return _page(request, TokenForm(user=user), new_token=new_token)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    if tokens.revoke_token(signed_in_user(request), pk):
        messages.success(request, "Revoked the token: requests with it now answer 401.")
    else:
        messages.info(request, "That token was already revoked.")
    return redirect("user_settings")
