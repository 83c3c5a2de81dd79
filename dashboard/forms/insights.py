"""The form behind an unusual day's "Dismiss" button."""

import datetime as dt

from django import forms

from influence.core import dates
from influence.insights.series import AUDIENCE_METRICS
from influence.scoring.snapshots import today


class DismissAnomalyForm(forms.Form):
    account = forms.IntegerField(min_value=1, max_value=2**62)
    metric = forms.ChoiceField(choices=[(m, m) for m in AUDIENCE_METRICS])
    day = forms.DateField(input_formats=["%Y-%m-%d"])

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if not dates.within_bounds(day, today()):
            raise forms.ValidationError(f"Use a day from {dates.bounds_text(today())}.")
        return day
