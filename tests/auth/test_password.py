import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-compass-83"


def test_password_change_needs_the_old_password_and_keeps_the_session(client, jane):
    client.force_login(jane)
    refused = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-the-old-one", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    assert "Please type your current password." in refused.content.decode()
    jane.refresh_from_db()
    assert jane.check_password(PASSWORD)

    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert changed.url == reverse("account_change_password")
    jane.refresh_from_db()
    assert jane.check_password(NEW_PASSWORD)
    assert jane.password.startswith("argon2$")
    assert client.get(reverse("home")).status_code == 200


def test_password_change_refuses_a_weak_new_password(client, jane):
    client.force_login(jane)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "12345678", "password2": "12345678"},
    )
    assert "This password is too common." in response.content.decode()
    jane.refresh_from_db()
    assert jane.check_password(PASSWORD)


def test_password_change_needs_a_login(client):
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('account_change_password')}"


def _reset_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    links = re.findall(r"https?://\S+", text)
    assert len(links) == 1, text
    return links[0]


def test_reset_email_links_to_site_url_and_the_link_sets_the_password(client, jane, settings, smtp_inbox):
    settings.SITE_URL = "https://influence.example.org"
    response = client.post(reverse("account_reset_password"), {"email": "Jane@Example.com"}, HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")

    [message] = smtp_inbox.messages
    assert message["To"] == "jane@example.com"
    assert message["Subject"] == "Reset your Influence password"
    link = _reset_link(message)
    assert link.startswith("https://influence.example.org/auth/password/reset/key/")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{link}"' in html

    # The link leads to a form (allauth swaps the key for a session value first).
    path = link.removeprefix("https://influence.example.org")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_password = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert set_password.status_code == 302
    assert set_password.url == reverse("account_reset_password_from_key_done")
    jane.refresh_from_db()
    assert jane.check_password(NEW_PASSWORD)

    login = client.post(reverse("account_login"), {"login": "jane@example.com", "password": NEW_PASSWORD})
    assert login.status_code == 302

    # Used once, the link no longer works.
    client.logout()
    again = client.get(path, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, jane, smtp_inbox):
    known = client.post(reverse("account_reset_password"), {"email": "jane@example.com"}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert known.content == unknown.content
    assert [m["To"] for m in smtp_inbox.messages] == ["jane@example.com"]


def test_reset_with_a_malformed_email_asks_again(client, smtp_inbox):
    response = client.post(reverse("account_reset_password"), {"email": "jane@"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert smtp_inbox.messages == []
