from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from influence.core.permissions import current_membership, user_memberships


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The workspace switcher's data, computed only when a template asks for it (the request's
    memberships are read once, and shared with the views' permission checks)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "nav_memberships": SimpleLazyObject(lambda: user_memberships(request)),
    }
