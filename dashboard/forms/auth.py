"""Sign-up and log-in forms (on django-allauth's): emails are compared and stored lower-case.

The sign-up form adds the product's own choices (time zone, workspace name, weekly
summary) and, from an invitation's page, the invitation: its address is then the
account's, whatever was typed, and no personal workspace is created.
"""

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.http import HttpRequest

from dashboard.forms.timezones import TimeZoneField
from influence.core.models import Invitation, User
from influence.core.workspace_names import default_workspace_name
from influence.workspaces import invitations
from influence.workspaces.members import create_workspace


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name lock-outs are counted under: the lower-cased email, so that
    "Jane@Example.com" and "jane@example.com" share one count of failures.

    Our log-in form passes `email` to authenticate() and posts `login`; the admin's
    passes and posts `username`."""
    for key in ("email", "username", "login"):
        if credentials and credentials.get(key):
            return normalize_email(str(credentials[key]))
    post = getattr(request, "POST", {})
    return normalize_email(post.get(settings.AXES_USERNAME_FORM_FIELD, "") or post.get("username", ""))


class SignUpForm(AllauthSignupForm):
    time_zone = TimeZoneField(
        initial="UTC",
        help_text="Weekly summaries arrive at 08:00 on Mondays in this zone. Type part of its name to find it.",
    )
    workspace_name = forms.CharField(
        label="Workspace name",
        max_length=100,
        required=False,
        help_text="Optional: your agency's or your own name. Empty means “Alex’s workspace” for alex@example.org.",
    )
    digest_enabled = forms.BooleanField(label="Send me a weekly summary by email", required=False, initial=True)
    # From an invitation's page: the signed token of the invitation.
    invitation = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    field_order = ["email", "password1", "password2", "time_zone", "workspace_name", "digest_enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.max_length = 254
        email.widget.attrs.update({"autocomplete": "email", "autofocus": True})
        email.widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = "Password again"
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.invited: Invitation | None = None
        token = self.data.get("invitation") if self.is_bound else self.initial.get("invitation")
        if token:
            try:
                self.invited = invitations.read_invitation(str(token))
            except invitations.InvitationError:
                self.invited = None
        if self.invited is not None:
            # The invited address is the account's: shown, not editable, and not trusted from the post.
            email.initial = self.invited.email
            email.disabled = True
            email.widget.attrs["readonly"] = True
            email.help_text = "The address the invitation was sent to."
            del self.fields["workspace_name"]

    def clean_invitation(self) -> str:
        token = self.cleaned_data.get("invitation") or ""
        if token and self.invited is None:
            # Said above the form: the field is hidden.
            self.add_error(None, "This invitation can no longer be used. Ask the workspace's owner for a new one.")
        return token

    def clean_email(self) -> str:
        self.cleaned_data["email"] = normalize_email(self.cleaned_data["email"])
        return str(super().clean_email())

    def signup(self, request: HttpRequest, user: User) -> None:
        """After allauth saved the user: their choices, then their workspace or their invitation."""
        data = self.cleaned_data
        user.time_zone = data["time_zone"]
        user.digest_enabled = data["digest_enabled"]
        user.save(update_fields=["time_zone", "digest_enabled"])
        if self.invited is not None:
            invitations.claim_invitation(self.invited, user)
        else:
            name = (data.get("workspace_name") or "").strip() or default_workspace_name(user.email)
            create_workspace(user, name[:100])


class LoginForm(AllauthLoginForm):
    """allauth's log-in form with an email label (its messages are the adapter's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email"
        login.widget.attrs.update({"autocomplete": "email", "autofocus": True})
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)

    def clean_login(self) -> str:
        return normalize_email(self.cleaned_data["login"])
