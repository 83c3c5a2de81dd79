"""The shared work of every connector: HTTP client, credentials and error types."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

import httpx
from django.conf import settings


class ConnectorError(Exception):
    """A collection that did not give numbers; the message is shown to users as it is."""

    retryable = False


class NotFound(ConnectorError):
    """The handle does not exist on the network."""


class NeedsKey(ConnectorError):
    """The network needs an API credential that is not configured."""


class BadResponse(ConnectorError):
    """The network answered something we cannot read (invalid JSON, a missing field)."""


class TemporaryError(ConnectorError):
    """A timeout, a connection error or a 5xx: worth trying again later."""

    retryable = True


class RateLimited(TemporaryError):
    """429 (or the network's own back-off): try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    _REGISTRY[cls.network] = cls
    return cls


def get_connector(network: str, credentials: Mapping[str, str] | None = None, client: httpx.Client | None = None):
    """The connector of `network`; credentials (a workspace's) override the environment's."""
    if network not in _REGISTRY:
        # One module per network (influence/connectors/<network>.py) registers its class.
        try:
            import_module(f"influence.connectors.{network}")
        except ModuleNotFoundError:
            pass
    try:
        cls = _REGISTRY[network]
    except KeyError:
        raise ConnectorError(f"There is no connector for the network “{network}”.") from None
    return cls(credentials=credentials, client=client)


class Connector:
    """Base class: a network only knows its URLs and how to parse its answers."""

    network: str = ""
    timeout = httpx.Timeout(10.0, connect=5.0)

    def __init__(self, credentials: Mapping[str, str] | None = None, client: httpx.Client | None = None):
        self.credentials = dict(credentials or {})
        self._client = client

    @property
    def user_agent(self) -> str:
        return settings.INFLUENCE_USER_AGENT

    def fetch(self, handle: str, instance_url: str = "") -> dict[str, int]:
        raise NotImplementedError
