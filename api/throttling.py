"""Requests per token, counted in the shared cache (Redis in production) so every web process agrees."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from influence.core.models import AccessToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        # Read at each request rather than once at import, so a deployment's setting (and a test's) applies.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, AccessToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
