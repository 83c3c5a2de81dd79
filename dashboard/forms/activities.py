"""The activity form (its labels fit the kind) and the CSV import form.

The rules themselves live in influence.activities.validate_activity, which the
CSV import applies to every row: the fields here only render the inputs.
"""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from influence.activities import csv as activity_csv
from influence.activities.rules import (
    FIELDS,
    MAX_NOTES,
    MAX_TITLE,
    MAX_URL,
    MAX_VENUE,
    SAME_ACTIVITY,
    ActivityData,
    find_same,
    label_for,
    scoring_rule,
    validate_activity,
)
from influence.core.choices import ONGOING_KINDS, ActivityKind
from influence.core.models import Activity, Subject
from influence.core.models.activities import MAX_AUDIENCE
from influence.scoring.parameters import Parameters

HELP = {
    "title": f"Required, at most {MAX_TITLE} characters.",
    "date": "At most a year ahead; a future date shows as upcoming and scores from that day.",
    "end_date": "Not before the start; leave empty while it runs.",
    "audience": "A whole number; leave empty when unknown (counts as 0).",
    "url": "Optional; a web address starting with http:// or https://.",
    "notes": f"Optional, at most {MAX_NOTES:,} characters; only you and your team see them.",
}


class ActivityForm(forms.Form):
    kind = forms.CharField(widget=forms.Select(choices=ActivityKind.choices), required=False)
    title = forms.CharField(required=False, widget=forms.TextInput(attrs={"maxlength": MAX_TITLE}))
    date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.CharField(
        required=False, widget=forms.NumberInput(attrs={"min": 0, "max": MAX_AUDIENCE, "step": 1})
    )
    venue = forms.CharField(required=False, widget=forms.TextInput(attrs={"maxlength": MAX_VENUE}))
    url = forms.CharField(required=False, label="Web page", widget=forms.URLInput(attrs={"maxlength": MAX_URL}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_NOTES}))

    def __init__(
        self, *args: Any, subject: Subject, params: Parameters, kind: str | None = None,
        activity: Activity | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.activity = activity
        # Set by clean() on a valid form.
        self.activity_data: ActivityData | None = None
        posted = self.data.get("kind") if self.is_bound else None
        self.chosen_kind: str = next(
            (k for k in (posted, kind, activity.kind if activity else None) if k in ActivityKind.values),
            ActivityKind.OTHER,
        )
        self.fields["kind"].help_text = scoring_rule(self.chosen_kind, params)
        self.fields["kind"].initial = self.chosen_kind
        for name in ("date", "end_date", "venue", "audience"):
            self.fields[name].label = label_for(self.chosen_kind, name)
        for name, text in HELP.items():
            self.fields[name].help_text = text
        self.fields["title"].widget.attrs["required"] = True
        self.fields["date"].widget.attrs["required"] = True
        # Only ongoing kinds ask for an end date; one already given stays visible so it is never lost unseen.
        has_end = self.data.get("end_date") if self.is_bound else self.initial.get("end_date")
        self.hidden_rows = set() if self.chosen_kind in ONGOING_KINDS or has_end else {"end_date"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        check = validate_activity({name: cleaned.get(name) or "" for name in FIELDS})
        for name, messages in check.errors.items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        if check.data and not self.errors:
            same = find_same(self.subject, check.data, exclude_pk=self.activity.pk if self.activity else None)
            if same:
                self.add_error("title", SAME_ACTIVITY)
            else:
                self.activity_data = check.data
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, comma or semicolon separated, at most 2 MB and 5,000 activities.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Refuse on the declared size before reading anything into memory.
        if upload.size > activity_csv.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 2 MB."
            )
        raw = upload.read(activity_csv.MAX_BYTES + 1)
        try:
            self.checked = activity_csv.check_file(raw)
        except activity_csv.ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload
