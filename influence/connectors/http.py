"""The one HTTP client factory, and the one way a remote body is read: bounded.

Every client comes from `new_client` (timeouts, User-Agent, pool limits, the
outbound guard of guard.py, no automatic redirects). Every body is read by
`read_body`: streamed, decompressed a step at a time, counted after
decompression against COLLECT_MAX_RESPONSE_BYTES, and cut at the request's
overall deadline, so neither a compressed bomb nor a server that drips bytes
can hold a worker or its memory.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator

import httpx
from django.conf import settings

from influence.connectors import guard

# Redirects followed for one request; each hop is checked like the first.
MAX_REDIRECTS = 5
# The encodings `inflated` reads step by step (zlib's header detection reads both).
ACCEPT_ENCODING = "gzip, deflate"
# Bytes inflated at a time: a compressed answer grows in memory by at most this much per step.
_STEP = 64 * 1024
_tls_lock = threading.Lock()
_tls_contexts: dict[int, ssl.SSLContext] = {}


class TooLarge(Exception):
    """An answer past COLLECT_MAX_RESPONSE_BYTES."""


def tls_context() -> ssl.SSLContext:
    """One TLS context per process, shared by its clients: loading the CA bundle is what a new client costs.

    Keyed by pid so that a forked worker process builds its own.
    """
    pid = os.getpid()
    with _tls_lock:
        if pid not in _tls_contexts:
            _tls_contexts.clear()
            _tls_contexts[pid] = httpx.create_ssl_context()
        return _tls_contexts[pid]


def new_client(timeout: float | None = None) -> httpx.Client:
    """The one way an HTTP client is built: timeouts, User-Agent, pool limits and the outbound guard.

    The client follows no redirect: `Connector.request` follows them itself,
    so that every hop is checked and read within the cap and the deadline.
    """
    seconds = float(timeout or settings.COLLECT_HTTP_TIMEOUT)
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(5.0, seconds)),
        headers={"User-Agent": settings.INFLUENCE_USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        follow_redirects=False,
        transport=guard.GuardedTransport(verify=tls_context(), limits=limits),
    )


def read_body(response: httpx.Response, deadline: float) -> bytes:
    """The decompressed body of a streamed `response`, counted as it arrives.

    TooLarge past the cap, httpx.ReadTimeout past `deadline` (a
    `time.monotonic()` value), ValueError for an encoding we cannot read.
    """
    cap = int(settings.COLLECT_MAX_RESPONSE_BYTES)
    too_large = TooLarge(f"the answer was larger than {cap / 1_000_000:g} MB")
    encoding = response.headers.get("Content-Encoding", "")
    length = response.headers.get("Content-Length", "")
    if not encoding and length.isdigit() and int(length) > cap:
        raise too_large
    body = bytearray()
    for chunk in inflated(response.iter_raw(), encoding):
        body += chunk
        if len(body) > cap:
            raise too_large
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the overall deadline passed")
    return bytes(body)


def inflated(chunks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """The body of raw `chunks` sent with Content-Encoding `encoding`, at most `_STEP` bytes at a time."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        yield from chunks
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise ValueError(f"an answer encoded as “{encoding}”")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or a zlib header
    try:
        for chunk in chunks:
            while chunk:
                yield inflater.decompress(chunk, _STEP)
                chunk = inflater.unconsumed_tail
        yield inflater.flush()
    except zlib.error:
        raise ValueError("a compressed answer that does not decompress") from None
