"""How django-allauth fits the product: links built from SITE_URL, the client address of
influence.core.clientaddress, the product's wording, and invitations on confirmation."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from dashboard.context_processors import remember_if_confirmed
from influence.core.clientaddress import client_address
from influence.core.models import User
from influence.workspaces import invitations

# One message for every failed log-in, so that the page never tells whether an email has an account.
MISMATCH = "That email and password do not match an account."


def site_url(path: str) -> str:
    """An absolute link for an email: from SITE_URL, never from the request's Host header,
    which a client chooses freely."""
    return f"{settings.SITE_URL}{path}"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": MISMATCH,
        "account_inactive": MISMATCH,
        "invalid_login": MISMATCH,
        "email_taken": "An account with this email already exists. Log in, or reset its password.",
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address as the lock-out's (TRUSTED_PROXY_COUNT), for every rate limit.
        return client_address(request) or "0.0.0.0"  # noqa: S104 - a key for counting, never bound to

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        # A deactivated account gets the same answer as a wrong password (allauth would
        # otherwise show its "account inactive" page, telling that the account exists).
        user = super().authenticate(request, **credentials)
        if user is not None and not user.is_active:
            return None
        return user

    def is_safe_url(self, url: str) -> bool:
        # Only a path on this site (as the product's pages always took `next`): a relative
        # "home" or "-1" would lead to a page under the current one.
        return bool(url) and url.startswith("/") and not url.startswith("//") and bool(super().is_safe_url(url))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {"site_url": settings.SITE_URL, "site_name": "Influence", **context}
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: EmailConfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", key))

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # An invited sign-up waits on its invitation's page until the address is confirmed.
        user = request.user
        if isinstance(user, User):
            claimed = invitations.claimed_invitation(user)
            if claimed is not None:
                return reverse("invitation", args=[invitations.invitation_token(claimed)])
        return super().get_signup_redirect_url(request)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Confirm the address and, in the same step, join the workspace it was invited to
        from the invitation's page."""
        confirmed = bool(super().confirm_email(request, email_address))
        if confirmed:
            user = email_address.user
            assert isinstance(user, User)
            if request.user.is_authenticated and request.user.pk == user.pk:
                remember_if_confirmed(request, user)
            for membership in invitations.join_claimed_invitations(user, email_address.email):
                messages.success(
                    request,
                    f"Welcome to {membership.workspace.name}: you are {membership.get_role_display().lower()}.",
                )
        return confirmed
