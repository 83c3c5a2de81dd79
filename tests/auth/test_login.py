import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GENERIC = "That email and password do not match an account."
LOCKED = "Too many failed log-ins"


def log_in(client, email, password, address="127.0.0.1", next_url=None):
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data, REMOTE_ADDR=address)


def test_login_page_is_public_and_links_to_sign_up_and_reset(client):
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<input type="email" name="login"' in html
    assert reverse("account_signup") in html
    assert reverse("account_reset_password") in html


def test_login_with_the_right_password_in_any_case_opens_the_dashboard(client, jane):
    response = log_in(client, "  Jane@EXAMPLE.com", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == jane


def test_login_follows_next_on_this_site_only(client, jane):
    assert log_in(client, "jane@example.com", PASSWORD, next_url="/compare/").url == "/compare/"
    client.logout()
    assert log_in(client, "jane@example.com", PASSWORD, next_url="https://evil.example.net/").url == reverse("home")


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, jane):
    wrong_password = log_in(client, "jane@example.com", "not-her-password")
    unknown_email = log_in(client, "nobody@example.com", "not-her-password")
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert GENERIC in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_an_inactive_user_gets_the_generic_message(client):
    UserFactory(email="gone@example.com", is_active=False)
    response = log_in(client, "gone@example.com", PASSWORD)
    assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, jane):
    log_in(client, "jane@example.com", PASSWORD)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert client.get(reverse("home")).status_code == 302


def test_five_failures_lock_the_email_from_that_address_for_15_minutes(client, jane):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(4):
            assert GENERIC in log_in(client, "jane@example.com", "wrong-guess").content.decode()
        fifth = log_in(client, "JANE@example.com", "wrong-guess")
        assert fifth.status_code == 429
        assert LOCKED in fifth.content.decode()
        assert "locked for\n  15 minutes" in fifth.content.decode()

        # Even the right password is refused while locked.
        right = log_in(client, "jane@example.com", PASSWORD)
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

        clock.shift(dt.timedelta(minutes=16))
        after = log_in(client, "jane@example.com", PASSWORD)
        assert after.status_code == 302
        assert client.session["_auth_user_id"] == str(jane.pk)


def test_a_lock_out_spares_other_emails_and_other_addresses(client, jane):
    UserFactory(email="john@example.com")
    for _ in range(5):
        log_in(client, "jane@example.com", "wrong-guess", address="203.0.113.7")
    assert log_in(client, "jane@example.com", PASSWORD, address="203.0.113.7").status_code == 429

    other_email = log_in(client, "john@example.com", PASSWORD, address="203.0.113.7")
    assert other_email.status_code == 302
    client.logout()
    other_address = log_in(client, "jane@example.com", PASSWORD, address="198.51.100.9")
    assert other_address.status_code == 302


def test_four_failures_then_a_success_start_the_count_again(client, jane):
    for _ in range(4):
        log_in(client, "jane@example.com", "wrong-guess")
    assert log_in(client, "jane@example.com", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "jane@example.com", "wrong-guess").status_code == 200


def test_the_admin_login_shares_the_lock_out_whatever_the_case_of_the_email(client, jane):
    for attempt in range(5):
        email = "Jane@Example.com" if attempt % 2 else "jane@example.com"
        client.post("/admin/login/", {"username": email, "password": "wrong-guess"})
    assert log_in(client, "jane@example.com", PASSWORD).status_code == 429
