"""Account forms: add and edit an account, a manual account's counts, a workspace's API credentials.

The handle's rules are each network's (influence.collection.canonical_handle);
whether it exists is checked live by the view, through the connector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape

from influence.collection import canonical_handle
from influence.core.choices import CredentialName, Metric, Network
from influence.core.models import Account, Subject

HANDLE_HELP = {
    Network.MASTODON: "user@instance.social (or the user name with the instance address below)",
    Network.BLUESKY: "name.bsky.social or a DID",
    Network.GITHUB: "the login",
    Network.STACKEXCHANGE: "site:user_id, e.g. stackoverflow:22656 (a bare id means Stack Overflow)",
    Network.HACKERNEWS: "the user name",
    Network.REDDIT: "the user name",
    Network.OPENALEX: "an OpenAlex author id (A…) or an ORCID",
    Network.WIKIPEDIA: "lang:Article_Title, e.g. en:Ada_Lovelace (a bare title means English)",
    Network.YOUTUBE: "a channel id (UC…) or @handle",
    Network.RSS: "the feed's address",
    Network.MANUAL: "the profile's name or address on that platform",
}
MAX_COUNT = 10**12
MAX_INTERVAL_HOURS = 24 * 30


def handle_help() -> str:
    return "; ".join(f"{Network(n).label.split(' (')[0]}: {text}" for n, text in HANDLE_HELP.items())


class _HandleMixin(forms.BaseForm):
    """Shared cleaning: the network's handle rules and one account per handle per subject."""

    subject: Subject
    account: Account | None = None
    # Set by the view: an owner is pointed to the workspace's credentials when a key is missing.
    can_enter_keys = False
    # Set by the view: why the network could not be asked now (a new account may then be saved unchecked).
    cannot_check = ""

    def _clean_handle(self, cleaned: dict[str, Any], network: str) -> dict[str, Any]:
        handle = cleaned.get("handle") or ""
        instance_url = cleaned.get("instance_url") or ""
        if network == Network.MANUAL and not (cleaned.get("label") or "").strip():
            self.add_error("label", "Name the platform, e.g. LinkedIn.")
        if network != Network.MASTODON:
            instance_url = ""
        try:
            cleaned["handle"], cleaned["instance_url"] = canonical_handle(network, handle, instance_url)
        except ValueError as exc:
            self.add_error("handle", str(exc))
            return cleaned
        same = Account.objects.filter(
            subject=self.subject, network=network, handle=cleaned["handle"], instance_url=cleaned["instance_url"]
        )
        if self.account is not None:
            same = same.exclude(pk=self.account.pk)
        if same.exists():
            self.add_error("handle", f"{self.subject.name} already has this {Network(network).label} account.")
        return cleaned


class AccountForm(_HandleMixin, forms.Form):
    network = forms.ChoiceField(choices=Network.choices)
    handle = forms.CharField(max_length=300, help_text=handle_help())
    instance_url = forms.URLField(
        required=False, label="Instance address (Mastodon)", assume_scheme="https",
        help_text="e.g. https://mastodon.social; wins over the host in the handle.",
    )
    label = forms.CharField(
        required=False, max_length=100, label="Platform (manual accounts)", help_text="e.g. LinkedIn, X, Instagram."
    )

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        network = cleaned.get("network")
        if network:
            if network != Network.MANUAL:
                cleaned["label"] = ""
            self._clean_handle(cleaned, network)
        return cleaned


class AccountEditForm(_HandleMixin, forms.ModelForm):
    collect_interval_hours = forms.IntegerField(
        min_value=1, max_value=MAX_INTERVAL_HOURS, label="Collect every (hours)",
        help_text="24 is once a day; failing accounts are tried at most once a day.",
    )

    instance_url = forms.URLField(
        required=False, label="Instance address (Mastodon)", assume_scheme="https",
        help_text="e.g. https://mastodon.social; wins over the host in the handle.",
    )

    class Meta:
        model = Account
        fields = ["handle", "instance_url", "label", "collect_interval_hours"]
        labels = {"label": "Platform (manual accounts)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = self.instance
        self.subject = self.instance.subject
        network = self.instance.network
        self.fields["handle"].help_text = HANDLE_HELP.get(network, "")
        if network != Network.MASTODON:
            del self.fields["instance_url"]
        if network != Network.MANUAL:
            del self.fields["label"]
        else:
            # Manual accounts are entered by hand, never collected.
            del self.fields["collect_interval_hours"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "handle" in cleaned:
            self._clean_handle(cleaned, self.instance.network)
        return cleaned

    @property
    def handle_changed(self) -> bool:
        return bool({"handle", "instance_url"} & set(self.changed_data))


# The counts a manual account can record: followers, and what closed platforms show.
MANUAL_METRICS = [Metric.FOLLOWERS, Metric.FOLLOWING, Metric.POSTS, Metric.ENGAGEMENTS_30D, Metric.VIEWS]


COUNTS_HELP_SCORES = "Required. The only count that scores: the audience behind the score."
COUNTS_HELP_CHARTED = "Optional; drawn on this account's charts, does not score."


class CountsForm(forms.Form):
    day = forms.DateField(
        label="Dated", widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today, or the earlier day the counts were read.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.now().date()
        self.fields["day"].initial = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        for metric in MANUAL_METRICS:
            scores = metric == Metric.FOLLOWERS
            self.fields[metric.value] = forms.IntegerField(
                label=metric.label, min_value=0, max_value=MAX_COUNT, required=scores,
                widget=forms.NumberInput(attrs={"min": 0, "step": 1}),
                help_text=COUNTS_HELP_SCORES if scores else COUNTS_HELP_CHARTED,
            )

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if day > timezone.now().date():
            raise forms.ValidationError("Counts cannot be dated in the future.")
        if day.year < 2000:
            raise forms.ValidationError("Enter a day from 2000 on.")
        return day

    @property
    def values(self) -> dict[str, int]:
        data = self.cleaned_data
        return {m.value: data[m.value] for m in MANUAL_METRICS if data.get(m.value) is not None}


class CredentialsForm(forms.Form):
    """One field per credential; a blank field keeps what is stored."""

    def __init__(self, *args: Any, stored: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in CredentialName.choices:
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=500, strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                # Help texts are rendered unescaped (_form.html): the hint is user input.
                help_text=f"Stored: {escape(stored[name])}. Leave blank to keep it." if name in stored else "Not set.",
            )
        self.stored = stored

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name, value in list(cleaned.items()):
            if value and any(c.isspace() for c in value):
                self.add_error(name, "A credential has no spaces or line breaks; paste it again.")
        pair = (CredentialName.REDDIT_CLIENT_ID, CredentialName.REDDIT_CLIENT_SECRET)
        will_have = {name: bool(cleaned.get(name)) or name in self.stored for name in pair}
        if will_have[pair[0]] != will_have[pair[1]]:
            missing = pair[1] if will_have[pair[0]] else pair[0]
            self.add_error(missing, "A Reddit app needs both its client id and its secret.")
        return cleaned

    @property
    def entered(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}
