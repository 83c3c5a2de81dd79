"""The user's sessions: when each was last seen, and their end with the credentials they were
opened with (changing the password or turning two factors off logs out every other session of
the user; the one making the change stays).

allauth keeps a row per logged-in session (device, address, when it logged in). When it was last
seen is kept in the cache instead, written by LastSeenMiddleware on each signed-in request: no
database query per page (allauth's own tracking costs several on every request).
"""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from influence.core.models import User

SEEN_KEY = "session-seen:{}"


class LastSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        key = session.session_key if session is not None else None
        if key and request.user.is_authenticated:
            cache.set(SEEN_KEY.format(key), time.time(), timeout=settings.SESSION_COOKIE_AGE)
        return response


def last_seen(session: UserSession) -> dt.datetime:
    """The session's last signed-in request, else its log-in."""
    seen = cache.get(SEEN_KEY.format(session.session_key))
    logged_in: dt.datetime = session.last_seen_at
    if isinstance(seen, int | float):
        return max(logged_in, dt.datetime.fromtimestamp(seen, tz=dt.UTC))
    return logged_in


def end_other_sessions(request: HttpRequest, user: User) -> int:
    """Log out the user's other sessions (allauth's record of them and the sessions themselves)."""
    current = request.session.session_key
    others = UserSession.objects.filter(user_id=user.pk).exclude(session_key=current)
    ended = 0
    for session in others:
        session.end()
        ended += 1
    return ended


def on_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    end_other_sessions(request, user)


def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        end_other_sessions(request, user)


def connect() -> None:
    from allauth.account.signals import password_changed, password_set
    from allauth.mfa.signals import authenticator_removed

    for signal in (password_changed, password_set):
        signal.connect(on_password_changed, dispatch_uid="influence-end-sessions-on-password")
    authenticator_removed.connect(on_authenticator_removed, dispatch_uid="influence-end-sessions-on-2fa-off")
