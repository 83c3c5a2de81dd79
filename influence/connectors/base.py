"""The shared work of every connector: HTTP client, credentials and error types.

A network's module knows only its URLs and how to read its answers; every
request goes through `Connector.request` here, which follows redirects (each
hop checked by the outbound guard, see guard.py), reads the body within a
byte cap and an overall deadline, and turns HTTP outcomes into the errors
below. `http.new_client` is the one place an HTTP client is built.
Connectors never retry: the scheduling layer decides when to try again (with
back-off), using `retryable` and `RateLimited.retry_after`: only what may
pass by itself is retryable (a timeout, a connection error, 408, 429, 5xx);
a name that does not resolve, any other 4xx, an invalid handle, a refused
address or a bad certificate fails at once, and the next scheduled collection
tries again.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import import_module
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from influence.connectors import guard
from influence.connectors.http import ACCEPT_ENCODING, MAX_REDIRECTS, TooLarge, new_client, read_body
from influence.core.choices import CredentialName


class ConnectorError(Exception):
    """A collection that did not give numbers; the message is shown to users as it is."""

    retryable = False


class NotFound(ConnectorError):
    """The handle does not exist on the network."""


class NeedsKey(ConnectorError):
    """The network needs an API credential that is not configured (or was refused)."""


class BadResponse(ConnectorError):
    """The network answered something we cannot read (invalid JSON, a missing field)."""


class TemporaryError(ConnectorError):
    """A timeout, a connection error, a 408 or a 5xx: worth trying again later."""

    retryable = True


class HostNotFound(ConnectorError):
    """A host name that does not resolve: no such host, or no name service here (this server is offline).

    Not retried (a minute later the answer is the same). `configured` says
    whether the host is one of the operator's API bases (GITHUB_API_URL ...):
    then the name surely exists and it is this server that cannot look it up;
    otherwise it is a host a user typed (a Mastodon instance, a feed).
    """

    def __init__(self, message: str, host: str, configured: bool):
        super().__init__(message)
        self.host = host
        self.configured = configured


class BadCertificate(ConnectorError):
    """The host's TLS certificate does not verify: not retried, it will not verify a minute later either."""


class NotPublicAddress(ConnectorError):
    """An address the outbound guard does not fetch: not public, or on a port not allowed."""


class RateLimited(TemporaryError):
    """429 (or the network's own back-off): try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


_REGISTRY: dict[str, type[Connector]] = {}

# Every network with a connector module; `manual` has none (users type its numbers).
NETWORKS = (
    "mastodon", "bluesky", "github", "stackexchange", "hackernews",
    "reddit", "openalex", "wikipedia", "youtube", "rss",
)


# The operator's API bases (each network module reads its own through `Connector.setting`).
API_BASE_SETTINGS = (
    "GITHUB_API_URL", "BLUESKY_API_URL", "STACKEXCHANGE_API_URL", "HACKERNEWS_API_URL",
    "REDDIT_URL", "OPENALEX_API_URL", "WIKIMEDIA_API_URL", "YOUTUBE_API_URL",
)


def configured_hosts() -> list[str]:
    """The host names of the operator's API bases, each once, in the order of API_BASE_SETTINGS."""
    hosts: list[str] = []
    for name in API_BASE_SETTINGS:
        host = _host(str(getattr(settings, name, "") or ""))
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def register(cls: type[Connector]) -> type[Connector]:
    _REGISTRY[cls.network] = cls
    return cls


def connector_class(network: str) -> type[Connector]:
    """The registered class of `network` (importing its module on first use)."""
    if network not in _REGISTRY and network in NETWORKS:
        import_module(f"influence.connectors.{network}")
    try:
        return _REGISTRY[network]
    except KeyError:
        raise ConnectorError(f"There is no connector for the network “{network}”.") from None


def get_connector(
    network: str,
    credentials: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    timeout: httpx.Timeout | float | None = None,
) -> Connector:
    """The connector of `network`; credentials (a workspace's) override the environment's."""
    return connector_class(network)(credentials=credentials, client=client, timeout=timeout)


def normalize_handle(network: str, handle: str, instance_url: str = "") -> tuple[str, str]:
    """(handle, instance_url) in the network's canonical form; ValueError with a message if invalid."""
    return connector_class(network).normalize_handle(handle, instance_url)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or timezone.now())).total_seconds())


def require(body: Any, *path: str | int) -> Any:
    """body[path[0]][path[1]]...; a missing field is a BadResponse naming it."""
    value = body
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            dotted = ".".join(str(p) for p in path)
            raise BadResponse(f"the answer has no field “{dotted}”") from None
    return value


def as_int(value: Any, field: str) -> int:
    """A count as an int: APIs send numbers, sometimes as strings ("1234")."""
    if isinstance(value, bool):
        raise BadResponse(f"“{field}” is not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise BadResponse(f"“{field}” is not a number: {value!r}")


def parse_time(value: Any, field: str = "createdAt") -> datetime:
    """An ISO 8601 timestamp (with Z or an offset) as an aware datetime."""
    if not isinstance(value, str):
        raise BadResponse(f"“{field}” is not a date: {value!r}")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadResponse(f"“{field}” is not a date: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class Connector:
    """Base class: a network only knows its URLs and how to parse its answers.

    Subclasses set `network` (and `label`, the name used in messages), list the
    credentials they use in `credential_names`, implement `normalize_handle`
    (a classmethod the account form uses too) and `collect`.
    """

    network: str = ""
    label: str = ""
    credential_names: tuple[str, ...] = ()
    # A request's overall deadline: COLLECT_HTTP_TIMEOUT seconds, 10 by default; connect at most 5.
    default_timeout = 10.0

    def __init__(
        self,
        credentials: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = None,
    ):
        self.credentials = {k: v for k, v in (credentials or {}).items() if v}
        self._client = client
        self._opened: list[bool] = []
        if timeout is None:
            timeout = float(getattr(settings, "COLLECT_HTTP_TIMEOUT", self.default_timeout))
        if not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout, connect=min(5.0, timeout))
        self.timeout = timeout
        # Seconds one request may take from its first connection to its body's last byte.
        self.deadline = float(timeout.read or self.default_timeout)
        # Origins of the API bases read from settings: trusted as the operator configured them.
        self.trusted_origins: set[tuple[str, str, int | None]] = set()

    # -- what a network provides -------------------------------------------------

    @classmethod
    def normalize_handle(cls, handle: str, instance_url: str = "") -> tuple[str, str]:
        """(handle, instance_url) as the network expects them; ValueError if unusable."""
        handle = (handle or "").strip()
        if not handle:
            raise ValueError("Enter a handle.")
        return handle, ""

    def collect(self, handle: str, instance_url: str) -> dict[str, int]:
        """The account's metrics, from a normalised handle."""
        raise NotImplementedError

    # -- the shared work -----------------------------------------------------------

    def fetch(self, handle: str, instance_url: str = "") -> dict[str, int]:
        """{metric: value} of one account, or one of this module's errors."""
        try:
            handle, instance_url = self.normalize_handle(handle, instance_url)
        except ValueError as exc:
            raise NotFound(f"{self.name}: “{handle}” is not a valid handle. {exc}") from None
        with self:
            return self.collect(handle, instance_url)

    @property
    def name(self) -> str:
        return self.label or self.network

    @property
    def user_agent(self) -> str:
        return settings.INFLUENCE_USER_AGENT

    def now(self) -> datetime:
        # Read at call time so frozen clocks (time_machine) apply.
        return timezone.now()

    def credential(self, name: str | CredentialName) -> str:
        """A workspace's credential, else the instance-wide one from settings ("" when none)."""
        name = str(name.value if isinstance(name, CredentialName) else name)
        return self.credentials.get(name) or getattr(settings, name.upper(), "") or ""

    def setting(self, name: str) -> str:
        """A base URL from settings, read at call time, without a trailing slash; its origin is trusted."""
        base = str(getattr(settings, name)).rstrip("/")
        self.trusted_origins.add(_origin(httpx.URL(base)))
        return base

    def __enter__(self) -> Connector:
        # A client given by the caller is the caller's to close; one made here
        # lives until the outermost `with` ends (fetch_history may nest in one).
        self._opened.append(self._client is None)
        if self._client is None:
            self._client = new_client(self.deadline)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._opened.pop() and self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            raise RuntimeError("use the connector as a context manager (or call fetch)")
        return self._client

    def is_not_found(self, response: httpx.Response) -> bool:
        """Whether an answer means "no such handle"; networks add their own shapes."""
        return response.status_code in (404, 410)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        not_found: str = "",
        **kwargs: Any,
    ) -> httpx.Response:
        """One HTTP request, its redirects followed and its body read; any answer but a success is a ConnectorError.

        Every hop off the trusted API bases goes through the outbound guard.
        The request has `deadline` seconds in all and its body at most
        COLLECT_MAX_RESPONSE_BYTES once decompressed.
        """
        all_headers = {"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        auth = kwargs.pop("auth", None)  # for the first hop; a redirect elsewhere drops its header
        deadline = time.monotonic() + self.deadline
        host, configured = _host(url), False
        try:
            request = self.client.build_request(method, url, params=params, headers=all_headers, **kwargs)
            for _ in range(MAX_REDIRECTS + 1):
                host, configured = request.url.host, _origin(request.url) in self.trusted_origins
                response = self._send(request, deadline, auth)
                if response.next_request is None:
                    break
                request, auth = response.next_request, None
            else:
                raise BadResponse(f"{self.name}: too many redirects ({host}).")
        except guard.Refused as exc:
            raise NotPublicAddress(f"{self.name}: {exc}.") from None
        except httpx.TimeoutException:
            raise TemporaryError(f"{self.name} did not answer in time ({host}).") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise BadResponse(f"{self.name}: “{url}” is not an http(s) address.") from None
        except httpx.ConnectError as exc:
            raise self.connect_error(exc, host, configured) from None
        except httpx.TransportError as exc:
            raise TemporaryError(f"{self.name} could not be reached ({host}: {exc}).") from None
        self.raise_for_status(response, not_found=not_found)
        return response

    def _send(self, request: httpx.Request, deadline: float, auth: Any = None) -> httpx.Response:
        """One hop: the answer with its body read (a redirect's `next_request` kept), within the deadline."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.ReadTimeout("the overall deadline passed")
        connect = min(self.timeout.connect or left, left)
        request.extensions = {
            **request.extensions,
            "timeout": httpx.Timeout(left, connect=connect).as_dict(),
            guard.TRUSTED: _origin(request.url) in self.trusted_origins,
        }
        response = self.client.send(request, stream=True, auth=auth)
        try:
            # A redirect's body is not read.
            body = b"" if response.next_request else read_body(response, deadline)
        except TooLarge as exc:
            raise BadResponse(f"{self.name}: {exc} ({response.url.host}).") from None
        except ValueError as exc:
            raise BadResponse(f"{self.name} answered {exc} ({response.url.host}).") from None
        finally:
            response.close()
        kept = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _BODY_HEADERS]
        answer = httpx.Response(response.status_code, headers=kept, content=body, request=request)
        answer.next_request = response.next_request
        return answer

    def connect_error(self, exc: httpx.ConnectError, host: str, configured: bool) -> ConnectorError:
        """What a failed connection means: a name that does not resolve and a bad certificate are
        not retried; anything else (refused, reset, unreachable) is a TemporaryError."""
        if _caused_by(exc, (socket.gaierror, guard.NameNotResolved)):
            if configured:
                message = (
                    f"{self.name}: the name {host} does not resolve here; "
                    "this server looks offline (no network or no name service)."
                )
            else:
                message = f"{self.name}: the host {host} does not exist (its name does not resolve)."
            return HostNotFound(message, host, configured)
        if _caused_by(exc, (ssl.SSLCertVerificationError,)):
            return BadCertificate(f"{self.name}: the TLS certificate of {host} is not valid ({exc}).")
        return TemporaryError(f"{self.name} could not be reached ({host}: {exc}).")

    def raise_for_status(self, response: httpx.Response, not_found: str = "") -> None:
        status = response.status_code
        if status < 400 and not self.is_not_found(response):
            return
        if self.is_not_found(response):
            raise NotFound(not_found or f"{self.name}: nothing found at {response.request.url.path}.")
        if status == 429 or (status == 403 and response.headers.get("X-RateLimit-Remaining") == "0"):
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self.now())
            if retry_after is None and response.headers.get("X-RateLimit-Reset", "").isdigit():
                reset = int(response.headers["X-RateLimit-Reset"])
                retry_after = max(0.0, reset - self.now().timestamp())
            wait = f"; retry after {retry_after:.0f} s" if retry_after is not None else ""
            raise RateLimited(f"{self.name} is rate limiting us (HTTP {status}{wait}).", retry_after)
        if status >= 500:
            raise TemporaryError(f"{self.name} had a server error (HTTP {status}).")
        if status == 408:
            raise TemporaryError(f"{self.name} gave up waiting for our request (HTTP 408).")
        if status in (401, 403):
            missing = [n for n in self.credential_names if not self.credential(n)]
            if self.credential_names and missing:
                raise NeedsKey(f"{self.name} refused the request (HTTP {status}); it needs {_describe(missing)}.")
            if self.credential_names:
                raise NeedsKey(f"{self.name} refused the configured credentials (HTTP {status}).")
            raise BadResponse(f"{self.name} refused access (HTTP {status}).")
        raise BadResponse(f"{self.name} answered HTTP {status} for {response.request.url.path}.")

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        not_found: str = "",
    ) -> Any:
        """GET `url` and decode its JSON body (invalid JSON is a BadResponse)."""
        return self.decode(self.request("GET", url, params=params, headers=headers, not_found=not_found))

    def decode(self, response: httpx.Response) -> Any:
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            host = _host(str(response.url))
            raise BadResponse(f"{self.name} answered something that is not JSON ({host}).") from None

    def iter_pages(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        not_found: str = "",
        max_pages: int = 100,
    ) -> Iterator[Any]:
        """The JSON bodies of `url` and of each `Link: <...>; rel="next"` page after it.

        The next URL carries its own query string, so `params` apply to the
        first page only. `max_pages` bounds a misbehaving server's loop.
        """
        for _ in range(max_pages):
            response = self.request("GET", url, params=params, headers=headers, not_found=not_found)
            yield self.decode(response)
            next_url = response.links.get("next", {}).get("url")
            if not next_url:
                return
            url, params = str(response.url.join(next_url)), None


# Headers that describe the body as sent, not the decompressed body kept.
_BODY_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `exc` or one it was raised from (httpx wraps httpcore, which wraps the socket's) is one of `kinds`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _describe(names: list[str]) -> str:
    labels = {c.value: c.label for c in CredentialName}
    return " and ".join(f"a {labels.get(n, n)}" for n in names)
