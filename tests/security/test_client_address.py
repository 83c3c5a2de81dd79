"""Behind a proxy: the login lock-out counts per client, as TRUSTED_PROXY_COUNT says where to read it.

With no trusted proxy, X-Forwarded-For is whatever the client wrote: it must neither let an
attacker dodge the lock-out (a new header per guess) nor lock someone else out (naming their
address). With one, the entry the proxy appended (the rightmost) is the client, whatever the
client put to its left.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from influence.core.clientaddress import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER, VICTIM = "203.0.113.66", "198.51.100.7"
LOCKED = "Too many failed log-ins"


@pytest.fixture
def jane(db):
    return UserFactory(email="jane@example.com")


def log_in(client, password, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    response = client.post(reverse("account_login"), {"login": "jane@example.com", "password": password}, **headers)
    client.logout()
    return response


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (0, "198.51.100.7", "10.0.0.2"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (1, " 1.2.3.4 ,198.51.100.7 ", "198.51.100.7"),
        (2, "198.51.100.7, 172.16.0.9", "198.51.100.7"),
        (2, "forged, 198.51.100.7, 172.16.0.9", "198.51.100.7"),
        # Fewer entries than proxies: the request did not come through them all.
        (2, "198.51.100.7", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, None, "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_entry_the_trusted_proxies_appended(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **extra)) == expected


def test_behind_one_proxy_two_clients_are_locked_out_independently(client, settings, jane):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        log_in(client, "wrong-guess", PROXY, forwarded=ATTACKER)

    assert LOCKED in log_in(client, PASSWORD, PROXY, forwarded=ATTACKER).content.decode()
    # Same proxy address, another client: not locked, and the right password works.
    assert log_in(client, PASSWORD, PROXY, forwarded=VICTIM).status_code == 302


def test_behind_one_proxy_a_forged_entry_cannot_dodge_or_cause_a_lock_out(client, settings, jane):
    settings.TRUSTED_PROXY_COUNT = 1
    # The attacker writes the victim's address (then a new one each time); the proxy appends the real one.
    for guess in range(5):
        log_in(client, "wrong-guess", PROXY, forwarded=f"{VICTIM}, 192.0.2.{guess}, {ATTACKER}")

    assert log_in(client, PASSWORD, PROXY, forwarded=f"192.0.2.99, {ATTACKER}").status_code == 429
    assert log_in(client, PASSWORD, PROXY, forwarded=VICTIM).status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings, jane):
    settings.TRUSTED_PROXY_COUNT = 0
    # A new forged address with every guess does not reset the count ...
    for guess in range(5):
        log_in(client, "wrong-guess", ATTACKER, forwarded=f"192.0.2.{guess}")
    assert log_in(client, PASSWORD, ATTACKER, forwarded="192.0.2.200").status_code == 429

    # ... and naming the victim's address did not lock the victim out.
    for _ in range(5):
        log_in(client, "wrong-guess", "203.0.113.99", forwarded=VICTIM)
    assert log_in(client, PASSWORD, VICTIM).status_code == 302
