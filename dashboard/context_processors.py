from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from influence.core.addresses import has_verified_address
from influence.core.models import User
from influence.core.permissions import current_membership, user_memberships


def unconfirmed_email(request: HttpRequest) -> str:
    """The signed-in user's email while it is not confirmed; "" once it is (one query, the
    same on every page)."""
    user = request.user
    if not isinstance(user, User) or has_verified_address(user):
        return ""
    return user.email


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
