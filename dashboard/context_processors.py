from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from influence.core.addresses import has_verified_address
from influence.core.models import User
from influence.core.permissions import current_membership, user_memberships

# The email found confirmed, kept in the session from log-in (or the confirmation) on, so that
# pages do not ask the database again; an unconfirmed user's pages ask each time.
CONFIRMED_KEY = "influence.email_confirmed"


def remember_if_confirmed(request: HttpRequest, user: User) -> None:
    """At log-in and on confirmation: note in the session that the user's email is confirmed."""
    if has_verified_address(user):
        request.session[CONFIRMED_KEY] = user.email


def unconfirmed_email(request: HttpRequest) -> str:
    """The signed-in user's email while it is not confirmed; "" once it is."""
    user = request.user
    if not isinstance(user, User) or request.session.get(CONFIRMED_KEY) == user.email:
        return ""
    if has_verified_address(user):
        request.session[CONFIRMED_KEY] = user.email
        return ""
    return user.email


def remember_confirmed(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On signing in, remember in the new session whether the address is confirmed: the pages
    after it, the first included, need not ask."""
    if request is not None and hasattr(request, "session") and isinstance(user, User):
        remember_if_confirmed(request, user)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The workspace switcher's data, computed only when a template asks for it (the request's
    memberships are read once, and shared with the views' permission checks)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "nav_memberships": SimpleLazyObject(lambda: user_memberships(request)),
        # The one-line "confirm your address" reminder of every page.
        "unconfirmed_email": SimpleLazyObject(lambda: unconfirmed_email(request)),
    }
