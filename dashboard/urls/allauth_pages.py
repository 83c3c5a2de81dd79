"""django-allauth's pages under /auth/, as `allauth.urls` composes them, but for two things:

- its deprecated `social/...` redirects (to the `3rdparty/...` pages) are left out: unnamed, no
  check of the URLs could cover them, and nothing of ours ever linked to them;
- a log-in provider that is not switched on (GitHub or Google without their settings) answers
  404 instead of failing with allauth's "no SocialApp" error: its pages exist, its button does not;
- Google's "One Tap" endpoint (a cross-site POST without our CSRF token) is left out: the product
  logs in with Google through its usual OAuth pages only.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.socialaccount.models import SocialApp
from allauth.urls import build_provider_urlpatterns
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path

View = Callable[..., HttpResponseBase]
UNUSED = {"google_login_by_token"}


def _switched_on_only(view: View) -> View:
    @wraps(view)  # keeps allauth's marks (no log-in needed, no CSRF token on a provider's callback)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist:
            raise Http404("This way of logging in is not switched on.") from None

    return guarded


def _guarded(entry: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(entry, URLResolver):
        patterns = [_guarded(inner) for inner in entry.url_patterns]
        return URLResolver(entry.pattern, patterns, entry.default_kwargs, entry.app_name, entry.namespace)
    return URLPattern(entry.pattern, _switched_on_only(entry.callback), entry.default_args, entry.name)


def _without(entries: list[URLPattern | URLResolver], names: set[str]) -> list[URLPattern | URLResolver]:
    kept: list[URLPattern | URLResolver] = []
    for entry in entries:
        if isinstance(entry, URLResolver):
            inner = _without(list(entry.url_patterns), names)
            kept.append(URLResolver(entry.pattern, inner, entry.default_kwargs, entry.app_name, entry.namespace))
        elif entry.name not in names:
            kept.append(entry)
    return kept


urlpatterns = [
    path("", include("allauth.account.urls")),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    *[_guarded(entry) for entry in _without(build_provider_urlpatterns(), UNUSED)],
    path("sessions/", include("allauth.usersessions.urls")),
]
