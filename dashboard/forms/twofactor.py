"""The two-factor forms allauth shows, in our words and under our limits.

Codes tried at log-in, at a confirmation or to turn two factors off are limited per user
(TWO_FACTOR_CODES): the password's lock-out is django-axes' alone, so allauth's own count of
failures (which it shares between passwords and codes) is off, and this one covers the codes.
Turning two factors off always asks for the password or a current code: allauth asks first
unless the user confirmed it is them in the last minutes (its reauthentication); then this form
asks, unless that confirmation is from the last two minutes (just typed, for this very removal).
"""

import time
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import DeactivateTOTPForm
from django import forms

from influence.core import ratelimit

# A confirmation (password or code) younger than this was typed for the removal itself.
JUST_CONFIRMED_SECONDS = 120
# Wrong or right, a code counts: a person types a handful in a quarter of an hour, a guesser thousands.
TWO_FACTOR_CODES = ratelimit.Limit("two-factor-codes", count=10, period=15 * 60)


def _take_code_attempt(user_pk: int) -> None:
    try:
        ratelimit.take(TWO_FACTOR_CODES, str(user_pk))
    except ratelimit.RateLimited as limited:
        raise forms.ValidationError(
            f"Too many codes tried: wait {limited.wait_minutes} minutes and try again.", code="rate_limited"
        ) from None


class TwoFactorLogInForm(AuthenticateForm):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        _take_code_attempt(self.user.pk)
        code: str = super().clean_code()
        return code


class TwoFactorConfirmForm(ReauthenticateForm):
    code = forms.CharField(
        label="Code", max_length=32, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True})
    )

    def clean_code(self) -> str:
        _take_code_attempt(self.user.pk)
        code: str = super().clean_code()
        return code


def _just_confirmed(user: Any) -> bool:
    """Whether the user confirmed it is them (allauth's reauthentication) in the last two minutes."""
    records = get_authentication_records(context.request, user)
    confirmed = [r["at"] for r in records if r.get("reauthenticated") and isinstance(r.get("at"), int | float)]
    return bool(confirmed) and time.time() - max(confirmed) < JUST_CONFIRMED_SECONDS


class TwoFactorOffForm(DeactivateTOTPForm):
    password_or_code = forms.CharField(
        label="Your password, or a code from your authenticator app",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _just_confirmed(self.authenticator.user):
            del self.fields["password_or_code"]
        # allauth binds this form to empty data on the page's first showing, to show at once why it
        # could not be removed: here that would be "This field is required." before anything was typed.
        if context.request.method != "POST":
            self.is_bound = False

    def clean_password_or_code(self) -> str:
        value: str = self.cleaned_data["password_or_code"]
        user = self.authenticator.user
        _take_code_attempt(user.pk)
        if user.has_usable_password() and user.check_password(value):
            return value
        for authenticator in Authenticator.objects.filter(user_id=user.pk).exclude(type=Authenticator.Type.WEBAUTHN):
            if authenticator.wrap().validate_code(value.strip()):
                return value
        raise forms.ValidationError("That is neither your password nor a current code.", code="incorrect")
