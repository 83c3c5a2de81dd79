"""The workspace's two-factor switch (a checkbox: unticked means off, so any post is valid)."""

from django import forms


class TwoFactorRequirementForm(forms.Form):
    require_two_factor = forms.BooleanField(
        required=False,
        label="Require two-factor authentication of every member",
        help_text="Members without it see a page asking them to set it up, and nothing of this workspace "
        "(on the pages or through the API) until they do.",
    )
