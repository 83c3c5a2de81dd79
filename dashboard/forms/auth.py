"""Sign-up, log-in and password-reset forms: emails are compared and stored lower-case."""

import zoneinfo
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from influence.core.choices import Role
from influence.core.models import Membership, User, Workspace


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone name, sorted; UTC first because it is the default."""
    zones = sorted(zone for zone in zoneinfo.available_timezones() if zone != "UTC")
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name lock-outs are counted under: the lower-cased email, so that
    "Jane@Example.com" and "jane@example.com" share one count of failures."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field):
        return normalize_email(credentials[field])
    return normalize_email(getattr(request, "POST", {}).get(field, ""))


class SignUpForm(forms.Form):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        help_text="Weekly summaries arrive at 08:00 on Mondays in this zone.",
    )
    workspace_name = forms.CharField(
        label="Workspace name",
        max_length=100,
        required=False,
        help_text="Optional: your agency's or your own name. Empty means “your-email's workspace”.",
    )
    digest_enabled = forms.BooleanField(
        label="Send me a weekly summary by email", required=False, initial=True
    )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in, or reset its password."
            )
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            # The validators compare the password with the email, so give them a user to look at.
            candidate = User(email=cleaned.get("email") or "", time_zone=cleaned.get("time_zone") or "UTC")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @transaction.atomic
    def save(self) -> User:
        """Create the user and their personal workspace, where they are the owner."""
        data = self.cleaned_data
        user = User.objects.create_user(
            data["email"],
            data["password1"],
            time_zone=data["time_zone"],
            digest_enabled=data["digest_enabled"],
        )
        name = data["workspace_name"].strip() or f"{user.email}'s workspace"
        workspace = Workspace.objects.create(name=name[: Workspace._meta.get_field("name").max_length])
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        user.current_workspace = workspace
        user.save(update_fields=["current_workspace"])
        return user


class LoginForm(AuthenticationForm):
    """Django's log-in form with an email label and one message for every failure,
    so that it never tells whether an email has an account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account.",
        "inactive": "That email and password do not match an account.",
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Email"
        username.widget.input_type = "email"
        username.widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data.get("username") or "")

    def confirm_login_allowed(self, user: User) -> None:
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class ResetForm(PasswordResetForm):
    """Builds the link from SITE_URL, never from the request's Host header,
    which a client chooses freely."""

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def send_mail(
        self, subject_template_name: str, email_template_name: str, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        site = urlsplit(settings.SITE_URL)
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        context.update(
            protocol=site.scheme,
            domain=site.netloc,
            site_name="Influence",
            site_url=settings.SITE_URL,
            reset_url=f"{settings.SITE_URL}{path}",
            timeout_hours=settings.PASSWORD_RESET_TIMEOUT // 3600,
        )
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
