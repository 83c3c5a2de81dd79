"""The time zone field of every form that asks for one (sign-up, the weekly email's settings).

One widget: a text input with a <datalist> of every zoneinfo name, so typing part of a name
("Europe/Par", "Paris") offers the matching zones, and any browser can still type one. What
is sent is checked against zoneinfo.available_timezones() on the server.
"""

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from influence.core.models.users import validate_time_zone


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name, sorted; UTC first because it is the default."""
    return ("UTC", *sorted(zone for zone in zoneinfo.available_timezones() if zone != "UTC"))


class TimeZoneInput(forms.TextInput):
    """A text input offering every zone name as the person types (its own <datalist>)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or name}-zones"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">', ((zone,) for zone in zone_names()))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class TimeZoneField(forms.CharField):
    """A zone name, checked against zoneinfo's; the message says what a zone name looks like."""

    widget = TimeZoneInput
    default_validators = [validate_time_zone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault(
            "help_text", "Type part of its name (such as Paris or New_York) and pick it from the list."
        )
        kwargs.setdefault("error_messages", {"required": "Choose a time zone, such as Europe/Berlin."})
        super().__init__(**kwargs)
