from django import forms

from influence.core.models import Subject


class SubjectForm(forms.ModelForm):
    """Create or rename a subject: a person or brand whose influence is tracked."""

    class Meta:
        model = Subject
        fields = ["name"]
        labels = {"name": "Name"}
        help_texts = {"name": "The person or brand whose influence you track."}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("A subject needs a name.")
        return name
