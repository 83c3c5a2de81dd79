"""Sessions end with the credentials they were opened with: changing the password or turning two
factors off logs out every other session of the user (the one making the change stays)."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.http import HttpRequest

from influence.core.models import User


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
