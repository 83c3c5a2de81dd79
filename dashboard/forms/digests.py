from typing import Any

from django import forms

from dashboard.forms.timezones import TimeZoneField
from influence.core.models import Subject, User
from influence.core.permissions import visible_subjects


class DigestPreferencesForm(forms.ModelForm):
    """The weekly summary's on/off switch, weekday, hour and the user's time zone."""

    digest_hour = forms.TypedChoiceField(
        label="Hour",
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text="In your time zone.",
    )
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["digest_enabled", "digest_weekday", "digest_hour", "time_zone"]
        labels = {"digest_enabled": "Send me the weekly summary", "digest_weekday": "Day"}


class DigestSubjectsForm(forms.Form):
    """One page of the subjects list: which of the subjects shown the email covers."""

    shown = forms.ModelMultipleChoiceField(queryset=Subject.objects.none(), widget=forms.MultipleHiddenInput)
    picked = forms.ModelMultipleChoiceField(queryset=Subject.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only subjects the user can see: another workspace's id is "not a valid choice".
        for name in ("shown", "picked"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = visible_subjects(user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        shown, picked = cleaned.get("shown"), cleaned.get("picked")
        if shown is not None and picked is not None and not set(picked) <= set(shown):
            raise forms.ValidationError("Pick subjects from the list shown.")
        return cleaned
