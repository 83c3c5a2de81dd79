"""Which failures are worth a retry: only those that may pass by themselves.

A timeout, a refused connection, 408, 429 and 5xx are retryable; a name that
does not resolve, any other 4xx, a refused address and a bad certificate are
not, and say why. `.invalid` names never resolve (RFC 6761).
"""

import http.server
import socket
import ssl
import subprocess
import threading

import pytest

from influence.connectors import (
    BadCertificate,
    BadResponse,
    ConnectorError,
    HostNotFound,
    NeedsKey,
    NotFound,
    NotPublicAddress,
    TemporaryError,
    get_connector,
)


def _caught(call) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        call()
    return caught.value


def test_a_configured_api_host_that_does_not_resolve_is_not_retried_and_says_the_server_looks_offline(settings):
    settings.GITHUB_API_URL = "https://api.github.invalid"

    error = _caught(lambda: get_connector("github").fetch("octocat"))

    assert isinstance(error, HostNotFound) and not error.retryable
    assert error.configured and error.host == "api.github.invalid"
    assert "api.github.invalid does not resolve" in str(error) and "offline" in str(error)


@pytest.mark.parametrize(
    ("network", "handle", "instance_url"),
    [("mastodon", "ada@mastodon.invalid", ""), ("mastodon", "ada", "https://social.invalid"),
     ("rss", "https://blog.invalid/feed.xml", "")],
)
def test_a_host_a_user_typed_that_does_not_resolve_does_not_exist(network, handle, instance_url):
    error = _caught(lambda: get_connector(network).fetch(handle, instance_url))

    assert isinstance(error, HostNotFound) and not error.retryable and not error.configured
    assert ".invalid does not exist" in str(error)


def test_a_refused_connection_is_retried(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.HACKERNEWS_API_URL = f"http://127.0.0.1:{port}/v0"

    error = _caught(lambda: get_connector("hackernews").fetch("pg"))

    assert isinstance(error, TemporaryError) and error.retryable and "could not be reached" in str(error)


def test_408_is_retried(fake_api, settings):
    settings.HACKERNEWS_API_URL = fake_api.url
    fake_api.route("GET", "/user/pg.json", status=408, json={})

    error = _caught(lambda: get_connector("hackernews").fetch("pg"))

    assert isinstance(error, TemporaryError) and error.retryable and "HTTP 408" in str(error)


@pytest.mark.parametrize(("status", "kind"), [(400, BadResponse), (403, BadResponse), (404, NotFound),
                                              (410, NotFound), (418, BadResponse), (422, BadResponse)])
def test_any_other_client_error_is_not_retried(fake_api, settings, status, kind):
    settings.HACKERNEWS_API_URL = fake_api.url
    fake_api.route("GET", "/user/pg.json", status=status, json={})

    error = _caught(lambda: get_connector("hackernews").fetch("pg"))

    assert type(error) is kind and not error.retryable


def test_a_missing_key_and_a_refused_address_and_an_invalid_handle_are_not_retried(fake_api, settings):
    settings.GITHUB_API_URL, settings.GITHUB_TOKEN = fake_api.url, ""
    fake_api.route("GET", "/users/octocat", status=401, json={})
    assert not _caught(lambda: get_connector("github").fetch("octocat")).retryable
    assert isinstance(_caught(lambda: get_connector("github").fetch("octocat")), NeedsKey)

    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    refused = _caught(lambda: get_connector("rss").fetch(f"{fake_api.url}/feed.xml"))
    assert isinstance(refused, NotPublicAddress) and not refused.retryable

    invalid = _caught(lambda: get_connector("github").fetch("not a login!"))
    assert isinstance(invalid, NotFound) and not invalid.retryable


@pytest.fixture
def self_signed_server(tmp_path):
    """An HTTPS server on 127.0.0.1 whose certificate no authority signed."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_certificate_that_does_not_verify_is_not_retried(self_signed_server):
    error = _caught(lambda: get_connector("rss").fetch(f"{self_signed_server}/feed.xml"))

    assert isinstance(error, BadCertificate) and not error.retryable
    assert "certificate of 127.0.0.1 is not valid" in str(error)
