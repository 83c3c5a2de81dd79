"""The outbound fetch guard: an address a user gives is fetched only when it is public.

Mastodon instances and feed addresses come from users, and so does every link
followed from their answers (redirects, next pages). Such a request goes
through `GuardedTransport`: its host is resolved once, every address it
resolves to must be public (not loopback, private, link-local, carrier-grade
NAT, multicast, reserved or unspecified; IPv4-mapped IPv6 is read as the IPv4
address it carries), its port must be one of `COLLECT_ALLOWED_PORTS`, and the
connection goes to the address that was checked, so a second DNS answer
(rebinding) cannot send it elsewhere. Every refusal comes before any
connection, so its message never tells an open port from a closed one.

The operator's API bases (GITHUB_API_URL ...) are trusted as configured: a
connector marks the requests it sends there with the `TRUSTED` extension.
`COLLECT_ALLOWED_PRIVATE_HOSTS` opens the guard for named hosts (tests,
private deployments): `host` for the allowed ports, `host:port` for that port
too, `host:*` for any port; a name or an address, matched against the URL's
host and the addresses it resolves to.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections import OrderedDict
from dataclasses import dataclass

import httpx
from django.conf import settings

# Request extension: the URL is on an API base the operator configured.
TRUSTED = "influence_trusted"
DEFAULT_PORTS = {"http": 80, "https": 443}
ANY_PORT = -1
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
# Hosts whose connection pools are kept; a worker thread collects from many.
_KEPT_HOSTS = 16

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A URL the guard does not fetch; the message names the host and is shown as it is."""


class NameNotResolved(httpx.ConnectError):
    """A host name the resolver gave no address for (no such host, or no name service at all).

    A ConnectError, as httpx raises for a trusted host's name, so that callers
    catching connection errors see both; `host` is the name looked up.
    """

    def __init__(self, host: str):
        super().__init__(f"{host}: the name does not resolve")
        self.host = host


def is_public(address: Address) -> bool:
    """Whether a connection to `address` leaves for the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return False
    return not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified
    )


def allowed_ports() -> set[int]:
    """COLLECT_ALLOWED_PORTS as numbers ("80,443")."""
    return {int(p) for p in str(settings.COLLECT_ALLOWED_PORTS).replace(" ", "").split(",") if p}


def allowed_private_hosts() -> dict[str, set[int]]:
    """COLLECT_ALLOWED_PRIVATE_HOSTS as {host: extra ports} (`ANY_PORT` for `host:*`)."""
    allowed: dict[str, set[int]] = {}
    for entry in str(settings.COLLECT_ALLOWED_PRIVATE_HOSTS).replace(" ", "").lower().split(","):
        if not entry:
            continue
        host, port = entry, ""
        if entry.startswith("["):  # [2001:db8::1]:8080
            host, _, rest = entry[1:].partition("]")
            port = rest.removeprefix(":")
        elif entry.count(":") == 1:
            host, port = entry.split(":")
        ports = allowed.setdefault(host, set())
        if port:
            ports.add(ANY_PORT if port == "*" else int(port))
    return allowed


@dataclass(frozen=True)
class Target:
    """Where a guarded request goes: its host as written and the checked addresses to connect to."""

    host: str
    port: int
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[Address]:
    """The addresses of `host`, from one lookup."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise NameNotResolved(host) from None
    addresses: list[Address] = []
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check(url: httpx.URL) -> Target:
    """The checked addresses of `url`, or Refused: the rules of this module, before any connection."""
    if url.scheme not in DEFAULT_PORTS:
        raise Refused(f"“{url}” is not an http(s) address")
    host = url.raw_host.decode("ascii").lower()
    port = url.port or DEFAULT_PORTS[url.scheme]
    addresses = resolve(host, port)
    opened = allowed_private_hosts()
    names = {host, *(str(a) for a in addresses)}
    extra_ports = set().union(*(opened[name] for name in names if name in opened))
    for address in addresses:
        if not (host in opened or str(address) in opened or is_public(address)):
            raise Refused(f"{host} is not a public address")
    if port not in allowed_ports() and port not in extra_ports and ANY_PORT not in extra_ports:
        ports = ", ".join(str(p) for p in sorted(allowed_ports()))
        raise Refused(f"{host}:{port} is not a public address (only ports {ports} are fetched)")
    return Target(host, port, tuple(str(a) for a in addresses))


class GuardedTransport(httpx.BaseTransport):
    """An HTTP transport that checks every request's URL unless it carries `TRUSTED`.

    A checked request is sent to the checked address itself, with its `Host`
    header and TLS server name (SNI, and so the certificate check) those of
    the host it was written with. Pools are kept per host name, so that a TLS
    connection verified for one host is never reused for another host on the
    same address. A client (and so its transport) serves one thread.
    """

    def __init__(self, verify: ssl.SSLContext, limits: httpx.Limits):
        self._verify, self._limits = verify, limits
        self._trusted = httpx.HTTPTransport(verify=verify, limits=limits)
        self._hosts: OrderedDict[str, httpx.HTTPTransport] = OrderedDict()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(TRUSTED):
            return self._trusted.handle_request(request)
        target = check(request.url)
        transport = self._pool_for(target.host)
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = target.host
        error: httpx.ConnectError | None = None
        for address in target.addresses:
            pinned = httpx.Request(
                request.method, request.url.copy_with(host=address),
                headers=request.headers, stream=request.stream, extensions=extensions,
            )
            try:
                return transport.handle_request(pinned)
            except httpx.ConnectError as exc:  # nothing was sent: the next checked address
                error = exc
        assert error is not None  # resolve() gives at least one address
        raise error

    def _pool_for(self, host: str) -> httpx.HTTPTransport:
        with self._lock:
            transport = self._hosts.pop(host, None) or httpx.HTTPTransport(verify=self._verify, limits=self._limits)
            self._hosts[host] = transport
            if len(self._hosts) > _KEPT_HOSTS:
                self._hosts.popitem(last=False)[1].close()
            return transport

    def close(self) -> None:
        self._trusted.close()
        with self._lock:
            for transport in self._hosts.values():
                transport.close()
            self._hosts.clear()
