"""The address a request came from, as the login lock-out and every rate limit count it.

Behind a reverse proxy every request arrives from the proxy's address, and the
client's is in X-Forwarded-For. That header is written by whoever sends the
request, so only the entries the deployment's own proxies appended can be
believed: each proxy appends the address it received the request from, so with
TRUSTED_PROXY_COUNT = N the client is the N-th entry from the right. Anything to
the left of it was supplied by the client and is ignored; with N = 0 the header
is ignored altogether and REMOTE_ADDR (the socket's peer) is the client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the TRUSTED_PROXY_COUNT-th X-Forwarded-For entry from the right."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # A request that did not pass through every proxy (a health probe on the
        # container's own port): the peer is the best address there is.
        return remote
    return forwarded[-count]
