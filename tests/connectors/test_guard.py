"""The outbound fetch guard: addresses users give are fetched only when public, on allowed ports.

The network tests use real sockets: a fake API on 127.0.0.1 plays the public
host (COLLECT_ALLOWED_PRIVATE_HOSTS names it) and a second one on 127.0.0.2,
which Linux also routes to the loopback interface, plays the private address
it points to.
"""

import ipaddress
import socket

import httpx
import pytest
from django.urls import reverse

from influence.connectors import NotPublicAddress, get_connector
from influence.connectors.guard import Refused, check, is_public
from influence.core.models import Account
from tests.connectors.scenarios import route_rss
from tests.support.fake_api import FakeAPI

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>"""


@pytest.fixture
def public(settings):
    """The fake API on 127.0.0.1, opened as if it were a public host (and only it)."""
    with FakeAPI("127.0.0.1") as server:
        settings.COLLECT_ALLOWED_PRIVATE_HOSTS = f"127.0.0.1:{server.server.server_address[1]}"
        yield server


@pytest.fixture
def private():
    """A second server, on 127.0.0.2: an address the guard must never connect to."""
    with FakeAPI("127.0.0.2") as server:
        yield server


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.9.9.9", "::1",                      # loopback
    "10.0.0.1", "172.16.0.1", "192.168.1.1", "fc00::1",   # private
    "100.64.0.1", "100.127.255.254",                      # carrier-grade NAT
    "169.254.169.254", "fe80::1",                         # link-local (cloud metadata)
    "224.0.0.1", "ff02::1",                               # multicast
    "240.0.0.1", "255.255.255.255",                       # reserved
    "0.0.0.0", "::",                                      # unspecified
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped IPv6
])
def test_addresses_that_are_not_public_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "https://10.0.0.1/", "http://[fe80::1]/",
    "http://localhost:6379/",
])
def test_a_url_on_an_address_that_is_not_public_is_refused_naming_its_host(url, settings):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    host = httpx.URL(url).host
    with pytest.raises(Refused, match=f"^{host} is not a public address$"):
        check(httpx.URL(url))


def test_only_http_and_https_on_the_allowed_ports_are_fetched(settings):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    assert check(httpx.URL("http://93.184.216.34/")).addresses == ("93.184.216.34",)
    assert check(httpx.URL("https://93.184.216.34:443/")).port == 443
    for url in ("ftp://93.184.216.34/", "file:///etc/passwd", "gopher://93.184.216.34/"):
        with pytest.raises(Refused, match="is not an http\\(s\\) address"):
            check(httpx.URL(url))
    with pytest.raises(Refused, match="^93.184.216.34:8080 is not a public address \\(only ports 80, 443 are fetched"):
        check(httpx.URL("http://93.184.216.34:8080/"))
    settings.COLLECT_ALLOWED_PORTS = "80,443,8080"
    assert check(httpx.URL("http://93.184.216.34:8080/")).port == 8080


def test_allowed_private_hosts_open_the_guard_for_their_host_and_port_only(settings):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = "10.0.0.5, 10.0.0.6:8080, [fd00::1]:*, localhost"
    assert check(httpx.URL("https://10.0.0.5/")).addresses == ("10.0.0.5",)
    with pytest.raises(Refused, match="10.0.0.5:8080 is not a public address"):
        check(httpx.URL("http://10.0.0.5:8080/"))
    assert check(httpx.URL("http://10.0.0.6:8080/")).port == 8080
    assert check(httpx.URL("http://[fd00::1]:9999/")).port == 9999
    assert check(httpx.URL("http://localhost/")).host == "localhost"
    with pytest.raises(Refused, match="10.0.0.7 is not a public address"):
        check(httpx.URL("http://10.0.0.7/"))


def test_a_redirect_to_a_private_address_is_refused_and_never_connected(public, private):
    private.route("GET", "/feed.xml", body=FEED, content_type="application/rss+xml")
    public.route("GET", "/feed.xml", status=302, body=b"", headers={"Location": f"{private.url}/feed.xml"})

    with pytest.raises(NotPublicAddress, match="^RSS: 127.0.0.2 is not a public address.$"):
        get_connector("rss").fetch(f"{public.url}/feed.xml")

    assert len(public.requests_to("/feed.xml")) == 1
    assert private.requests == []


def test_a_redirect_to_another_port_of_the_allowed_host_is_refused(public):
    with FakeAPI("127.0.0.1") as other:
        other.route("GET", "/feed.xml", body=FEED)
        public.route("GET", "/feed.xml", status=301, body=b"", headers={"Location": f"{other.url}/feed.xml"})
        with pytest.raises(NotPublicAddress, match="only ports 80, 443 are fetched"):
            get_connector("rss").fetch(f"{public.url}/feed.xml")
        assert other.requests == []


def test_a_redirect_between_public_pages_is_followed(public, frozen):
    scenario = route_rss(public)
    public.route("GET", "/old.xml", status=308, body=b"", headers={"Location": "/feed.xml"})
    assert get_connector("rss").fetch(f"{public.url}/old.xml") == scenario.expected


def test_a_redirect_loop_stops_with_a_clear_error(public):
    public.route("GET", "/a", status=302, body=b"", headers={"Location": "/b"})
    public.route("GET", "/b", status=302, body=b"", headers={"Location": "/a"})
    with pytest.raises(Exception, match="too many redirects"):
        get_connector("rss").fetch(f"{public.url}/a")
    assert len(public.requests) == 6


def test_a_next_page_on_a_private_address_is_refused(public, private, frozen):
    public.route("GET", "/api/v1/accounts/lookup", json={
        "id": "1", "followers_count": 1, "following_count": 1, "statuses_count": 1,
    })
    private.route("GET", "/api/v1/accounts/1/statuses", json=[])
    # A page whose statuses are all recent asks for the next one.
    public.route("GET", "/api/v1/accounts/1/statuses", headers={
        "Link": f'<{private.url}/api/v1/accounts/1/statuses?max_id=1>; rel="next"',
    }, json=[{"id": "9", "created_at": "2026-11-19T00:00:00Z", "reblog": None,
              "favourites_count": 1, "reblogs_count": 0, "replies_count": 0}])

    with pytest.raises(NotPublicAddress, match="Mastodon: 127.0.0.2 is not a public address."):
        get_connector("mastodon").fetch("alice", public.url)
    assert private.requests == []


def test_a_private_mastodon_instance_is_refused_before_any_connection(private, settings):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    with pytest.raises(NotPublicAddress, match="Mastodon: 127.0.0.2 is not a public address."):
        get_connector("mastodon").fetch("alice", private.url)
    assert private.requests == []


def test_the_operators_api_bases_are_trusted_but_not_what_they_redirect_to(settings, private):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    with FakeAPI("127.0.0.1") as github:
        settings.GITHUB_API_URL = github.url
        github.route("GET", "/users/octocat", status=302, body=b"", headers={"Location": f"{private.url}/users/x"})
        with pytest.raises(NotPublicAddress, match="GitHub: 127.0.0.2 is not a public address."):
            get_connector("github").fetch("octocat")
        assert len(github.requests) == 1 and private.requests == []


def test_the_add_account_form_says_the_same_for_an_open_and_a_closed_port(owner_client, subject, private, settings):
    settings.COLLECT_ALLOWED_PRIVATE_HOSTS = ""
    private.route("GET", "/", body=FEED)
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        closed = sock.getsockname()[1]
    pages = []
    for url in (f"{private.url}/", f"http://127.0.0.2:{closed}/"):
        response = owner_client.post(reverse("account_create", args=[subject.pk]), {"network": "rss", "handle": url})
        pages.append(response.content.decode())
    for page in pages:
        assert "RSS: 127.0.0.2 is not a public address. Nothing was added." in page
    assert private.requests == []
    assert not Account.objects.filter(subject=subject).exists()


def test_the_host_is_resolved_once_and_the_connection_goes_to_the_checked_address(public, monkeypatch, frozen):
    """DNS rebinding: a second answer pointing elsewhere is never asked for, so never used."""
    port = public.server.server_address[1]
    scenario = route_rss(public)
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "127.0.0.2"])
    lookups = []

    def rebinding(host, *args, **kwargs):
        if host != "feeds.rebind.test":
            return real(host, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://feeds.rebind.test:{port}/feed.xml"

    assert get_connector("rss").fetch(url) == scenario.expected
    assert lookups == ["feeds.rebind.test"]
    assert public.requests[0].headers["Host"] == f"feeds.rebind.test:{port}"

    # The next request looks the name up again, gets the private address, and stops there.
    with pytest.raises(NotPublicAddress, match="feeds.rebind.test is not a public address"):
        get_connector("rss").fetch(url)
    assert len(lookups) == 2 and len(public.requests) == 1
