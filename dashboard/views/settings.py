"""The user's own settings on one page: profile, password, weekly email, and API access tokens."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.forms.tokens import TokenForm
from influence.apitokens import tokens


def _page(request, form: TokenForm, new_token=None, status: int = 200):
    context = {"form": form, "tokens": tokens.tokens_of(request.user), "new_token": new_token}
    return render(request, "settings/index.html", context, status=status)


@require_safe
def user_settings(request):
    return _page(request, TokenForm(user=request.user))


@require_POST
def token_create(request):
    form = TokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    # The secret is on this answer only: it is not kept anywhere to show again.
    new_token = tokens.create_token(
        request.user, form.cleaned_data["name"], form.chosen_workspace, form.can_write, form.expires_at
    )
    return _page(request, TokenForm(user=request.user), new_token=new_token)


@require_POST
def token_revoke(request, pk):
    if tokens.revoke_token(request.user, pk):
        messages.success(request, "Revoked the token: requests with it now answer 401.")
    else:
        messages.info(request, "That token was already revoked.")
    return redirect("user_settings")
