"""The user's own settings on one page: profile, password, weekly email, and API access tokens."""

from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.forms.tokens import TokenForm
from dashboard.users import signed_in_user
from influence.apitokens import tokens
from influence.apitokens.tokens import NewToken


def _page(
    request: HttpRequest, form: TokenForm, new_token: NewToken | None = None, status: int = 200
) -> HttpResponseBase:
    context = {"form": form, "tokens": tokens.tokens_of(signed_in_user(request)), "new_token": new_token}
    return render(request, "settings/index.html", context, status=status)


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
