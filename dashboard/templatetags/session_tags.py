"""A session's device in a few words, from its browser's User-Agent, and when it was last seen
(display only)."""

import datetime as dt

from allauth.usersessions.models import UserSession
from django import template

from dashboard import sessions

register = template.Library()

# First match wins: Edge and Opera say "Chrome" too, Chrome says "Safari", so the specific ones come first.
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
]
SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


@register.filter
def device(user_agent: str) -> str:
    """"Firefox on Windows", "Safari on iPhone", else "Unknown browser"."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")


@register.filter
def last_seen(session: UserSession) -> dt.datetime:
    return sessions.last_seen(session)
