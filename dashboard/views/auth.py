"""The accounts pages the product adds to django-allauth's: the confirmation page naming the
workspace an invited sign-up joins, and sending the confirmation link again from the
dashboard's one-line reminder."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from allauth.core import ratelimit
from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from influence.core.models import User
from influence.workspaces import invitations


def safe_next(request: HttpRequest) -> str:
    """The `next` page asked for, when it is a path on this site; "" otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponseBase:
    """Mail the confirmation link of the user's address again. allauth's limit on
    confirmation emails (one per address every 3 minutes) applies: past it, the 429 page."""
    user = request.user
    assert isinstance(user, User)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True, verified=False)
    if address.verified:
        messages.info(request, f"{address.email} is already confirmed.")
        return redirect(safe_next(request) or "home")
    # Counted under the same key as allauth's own sending, so both share one limit.
    refused = ratelimit.consume_or_429(request, action="confirm_email", key=address.email.lower())
    if refused is not None:
        return refused
    address.send_confirmation(request)
    messages.success(request, f"A new confirmation link is on its way to {address.email}. It is valid for 3 days.")
    return redirect(safe_next(request) or "home")


class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's confirmation page; for an invited sign-up it says which workspace confirming joins."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        confirmation = context.get("confirmation")
        if confirmation is not None:
            address = confirmation.email_address
            context["joining"] = invitations.claimed_invitation(address.user, address.email)
        return context
