"""The settings page's form for a new personal access token."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from influence.core.models import AccessToken, Membership, User, Workspace

EXPIRIES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never")]
ALL_WORKSPACES = ""


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=AccessToken._meta.get_field("name").max_length,
        help_text="What it is for, e.g. “CRM sync”: to recognise it later.",
    )
    workspace = forms.ChoiceField(label="Workspace", required=False)
    access = forms.ChoiceField(
        choices=[("read", "Read only"), ("write", "Read and write")], initial="read", widget=forms.RadioSelect,
        help_text="Either way the token cannot do more than your role allows: a viewer's token only reads.",
    )
    expires = forms.ChoiceField(label="Expires", choices=EXPIRIES, initial="90", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {
            str(m.workspace_id): m for m in Membership.objects.filter(user=user).select_related("workspace")
        }
        field = self.fields["workspace"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL_WORKSPACES, "All my workspaces")] + [
            (pk, m.workspace.name) for pk, m in sorted(self.memberships.items(), key=lambda i: i[1].workspace.name)
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name

    @property
    def chosen_workspace(self) -> Workspace | None:
        chosen = self.cleaned_data.get("workspace")
        return self.memberships[chosen].workspace if chosen else None

    @property
    def can_write(self) -> bool:
        return self.cleaned_data["access"] == "write"

    @property
    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None
