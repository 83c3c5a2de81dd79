"""One connector per network: fetch an account's public numbers, parse them apart.

`get_connector(network, credentials)` returns the network's connector; its
`fetch(handle, instance_url)` returns {metric: value} or raises one of the
errors of influence.connectors.base.
"""

from influence.connectors.base import (
    BadCertificate,
    BadResponse,
    Connector,
    ConnectorError,
    HostNotFound,
    NeedsKey,
    NotFound,
    NotPublicAddress,
    RateLimited,
    TemporaryError,
    connector_class,
    get_connector,
    normalize_handle,
    register,
)

__all__ = [
    "BadCertificate",
    "BadResponse",
    "Connector",
    "ConnectorError",
    "HostNotFound",
    "NeedsKey",
    "NotFound",
    "NotPublicAddress",
    "RateLimited",
    "TemporaryError",
    "connector_class",
    "get_connector",
    "normalize_handle",
    "register",
]
