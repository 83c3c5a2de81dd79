from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from influence.core.permissions import current_membership, user_memberships

# The navigation's addresses take no arguments: they are reversed once per process (and per
# script prefix), not on every page.
NAV_URL_NAMES = ("home", "compare", "digest_preferences", "password_change", "my_data", "workspace_switch", "logout")
_nav_urls: dict[str, dict[str, str]] = {}


def _reverse_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def nav_urls() -> dict[str, str]:
    prefix = get_script_prefix()
    urls = _nav_urls.get(prefix)
    if urls is None:
        urls = _nav_urls[prefix] = {name: _reverse_or_empty(name) for name in NAV_URL_NAMES}
    return urls


def navigation(request):
    """The workspace switcher's data, computed only when a template asks for it (the request's
    memberships are read once, and shared with the views' permission checks)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "nav_memberships": SimpleLazyObject(lambda: user_memberships(request)),
        "nav_urls": nav_urls(),
    }
