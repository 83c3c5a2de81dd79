"""Forms of share links: a new link (on the subject page) and a link's password (on the report)."""

from django import forms

from influence.sharing.links import DEFAULT_EXPIRY_DAYS, EXPIRY_CHOICES_DAYS, MAX_PASSWORD


class ShareLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Valid for", coerce=int, initial=DEFAULT_EXPIRY_DAYS,
        choices=[(days, f"{days} days") for days in EXPIRY_CHOICES_DAYS],
    )
    password = forms.CharField(
        label="Password (optional)", required=False, max_length=MAX_PASSWORD, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Send it to the client separately from the link.",
    )


class SharePasswordForm(forms.Form):
    password = forms.CharField(
        max_length=MAX_PASSWORD, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
