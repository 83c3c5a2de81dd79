from django import forms

from influence.core.models import User
from influence.core.models.users import validate_time_zone


class DigestPreferencesForm(forms.ModelForm):
    """The weekly summary's on/off switch, weekday, hour and the user's time zone."""

    digest_hour = forms.TypedChoiceField(
        label="Hour",
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text="In your time zone.",
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        validators=[validate_time_zone],
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
        help_text="An IANA name such as Europe/Berlin or America/New_York.",
    )

    class Meta:
        model = User
        fields = ["digest_enabled", "digest_weekday", "digest_hour", "time_zone"]
        labels = {"digest_enabled": "Send me the weekly summary", "digest_weekday": "Day"}

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"].strip()
