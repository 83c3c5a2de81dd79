"""Rate limits, each once: django-axes alone locks log-ins out (tests/auth/test_login.py); allauth's
limits on sign-up and password reset answer with the product's 429 page, and all of them count
the client's address as influence.core.clientaddress reads it (TRUSTED_PROXY_COUNT)."""

import pytest
from django.core import mail
from django.urls import reverse

from influence.core.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tall-lighthouse-orbit-57"


def sign_up(client, n: int, **extra):
    data = {
        "email": f"person{n}@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "time_zone": "UTC",
    }
    fresh = type(client)()
    return fresh.post(reverse("account_signup"), data, **extra)


def test_past_twenty_sign_ups_a_minute_from_one_address_the_429_page(client):
    for n in range(20):
        assert sign_up(client, n, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = sign_up(client, 20, REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert not User.objects.filter(email="person20@example.com").exists()
    # Another address is not held back.
    assert sign_up(client, 21, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_behind_a_proxy_sign_ups_count_per_client_not_per_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(20):
        assert sign_up(client, n, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302
    assert sign_up(client, 20, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A forged entry to the left of the proxy's does not change the count's address.
    forged = sign_up(client, 21, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert forged.status_code == 429
    assert sign_up(client, 22, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302


def test_past_five_reset_emails_a_minute_for_one_address_the_429_page(client):
    UserFactory(email="jane@example.com")
    for _ in range(5):
        assert client.post(reverse("account_reset_password"), {"email": "jane@example.com"}).status_code == 302
    refused = client.post(reverse("account_reset_password"), {"email": "jane@example.com"})

    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert len(mail.outbox) == 5


def test_allauths_own_count_of_failed_logins_is_off(client):
    """Ten failures for one email from ten addresses: axes locks none of these pairs (each had
    one failure), and allauth, whose default would lock the email after five, does not either."""
    UserFactory(email="jane@example.com")
    for n in range(10):
        response = client.post(
            reverse("account_login"), {"login": "jane@example.com", "password": "wrong"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "jane@example.com", "password": PASSWORD}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 302
