import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from influence.core.choices import Role
from influence.core.models import Membership, User, Workspace
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tall-lighthouse-orbit-57"


def sign_up(client, **overrides):
    data = {
        "email": "new.person@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "time_zone": "Europe/Berlin",
        "workspace_name": "",
        "digest_enabled": "on",
    }
    extra = {key: overrides.pop(key) for key in list(overrides) if key.startswith("HTTP_")}
    data.update(overrides)
    return client.post(reverse("account_signup"), data, **extra)


def test_sign_up_page_offers_iana_zones_with_utc_filled_in_and_the_summary_box_checked(client):
    page = client.get(reverse("account_signup")).content.decode()
    # A text input searched through its list of every zone name.
    assert 'name="time_zone" value="UTC"' in page and 'list="id_time_zone-zones"' in page
    assert '<option value="America/New_York">' in page
    assert '<option value="Asia/Kolkata">' in page
    assert 'name="digest_enabled" id="id_digest_enabled" checked' in page
    assert "/static/js/signup.js" in page


def test_sign_up_creates_the_user_an_owned_workspace_and_logs_in(client):
    response = sign_up(client, email="  New.Person@Example.COM ")
    assert response.status_code == 302
    assert response.url == reverse("home")

    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert user.time_zone == "Europe/Berlin"
    assert user.digest_enabled is True
    assert user.check_password(GOOD_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.name == "New Person’s workspace"
    assert user.current_workspace == membership.workspace

    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == user


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/auth/confirm-email/\S+/", message.body).group(0)


def test_sign_up_leaves_the_address_unconfirmed_and_mails_a_link_valid_3_days(client, settings):
    settings.SITE_URL = "https://influence.example.org"
    sign_up(client, HTTP_HOST="localhost")
    user = User.objects.get()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("new.person@example.com", True, False)

    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    link = confirmation_link(message)
    # Built from SITE_URL, never from the Host header the client sent.
    assert link.startswith("https://influence.example.org/auth/confirm-email/")
    assert "3 days" in message.body

    path = link.removeprefix("https://influence.example.org")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3, hours=1)):
        expired = client.post(path)
    assert expired.status_code in (200, 404)
    address.refresh_from_db()
    assert address.verified is False

    confirmed = client.post(path)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified is True


def test_sign_up_with_a_workspace_name_and_no_weekly_summary(client):
    sign_up(client, workspace_name="Acme PR", digest_enabled="")
    user = User.objects.get()
    assert user.digest_enabled is False
    assert user.current_workspace.name == "Acme PR"


def test_sign_up_follows_a_next_page_on_this_site(client):
    response = client.post(
        reverse("account_signup") + "?next=/invitations/abc/",
        {
            "email": "invited@example.com",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302
    assert response.url == "/invitations/abc/"


def test_sign_up_ignores_a_next_page_on_another_site(client):
    response = sign_up(client, next="https://evil.example.net/phish")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_sign_up_page_carries_next_to_the_form_and_the_login_link(client):
    page = client.get(reverse("account_signup") + "?next=/invitations/abc/").content.decode()
    assert '<input type="hidden" name="next" value="/invitations/abc/">' in page
    assert f'href="{reverse("account_login")}?next=%2Finvitations%2Fabc%2F"' in page


def _assert_rejected(response, message: str):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="field has-error"' in response.content.decode()


def test_sign_up_with_an_email_already_used_in_another_case_creates_nothing(client):
    UserFactory(email="taken@example.com")
    response = sign_up(client, email="Taken@Example.com")
    _assert_rejected(response, "An account with this email already exists")
    assert User.objects.count() == 1
    assert Workspace.objects.count() == 0
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []


def test_sign_up_with_a_malformed_email_creates_nothing(client):
    response = sign_up(client, email="not-an-email@")
    _assert_rejected(response, "Enter a valid email address.")
    assert not User.objects.exists()
    assert not Workspace.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short7", "This password is too short."),
        ("password123", "This password is too common."),
        ("8675309214", "This password is entirely numeric."),
        ("new.person", "The password is too similar to the email address."),
    ],
)
def test_sign_up_with_a_weak_password_creates_nothing(client, password, message):
    response = sign_up(client, password1=password, password2=password)
    _assert_rejected(response, message)
    assert not User.objects.exists()
    assert not Workspace.objects.exists()


def test_sign_up_with_passwords_that_differ_creates_nothing(client):
    response = sign_up(client, password2=GOOD_PASSWORD + "x")
    _assert_rejected(response, "You must type the same password each time.")
    assert not User.objects.exists()


def test_sign_up_with_an_unknown_time_zone_creates_nothing(client):
    response = sign_up(client, time_zone="Mars/Olympus_Mons")
    _assert_rejected(response, "“Mars/Olympus_Mons” is not a known time zone")
    assert not User.objects.exists()


def test_a_rejected_sign_up_keeps_what_was_typed_except_the_passwords(client):
    response = sign_up(client, email="keep.me@example.com", password2="different-password-99")
    page = response.content.decode()
    assert 'value="keep.me@example.com"' in page
    assert 'name="time_zone" value="Europe/Berlin"' in page
    assert GOOD_PASSWORD not in page


def test_a_logged_in_visitor_of_sign_up_goes_home(owner_client):
    response = owner_client.get(reverse("account_signup"))
    assert response.status_code == 302
    assert response.url == reverse("home")
