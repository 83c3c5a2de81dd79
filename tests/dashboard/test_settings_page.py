"""/settings/ gathers the user's own settings: profile, email addresses, password, two factors,
sessions, weekly email and API tokens, each linking to where it changes."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_settings_page_gathers_every_part_of_the_account(client):
    jane = UserFactory(email="jane@example.com")
    EmailAddress.objects.update_or_create(
        user=jane, email="jane@example.com", defaults={"verified": True, "primary": True}
    )
    EmailAddress.objects.create(user=jane, email="jane@work.example.com", verified=False, primary=False)
    client.post(reverse("account_login"), {"login": jane.email, "password": PASSWORD})
    html = client.get(reverse("user_settings")).content.decode()
    for heading in ("Profile", "Email addresses", "Password", "Two-factor authentication", "Sessions",
                    "Weekly email", "API access tokens"):
        assert f">{heading}</h2>" in html, heading
    for name in ("account_email", "account_change_password", "mfa_activate_totp", "digest_preferences", "my_data",
                 "token_create"):
        assert reverse(name) in html, name
    assert "jane@work.example.com" in html and "not confirmed yet" in html
    assert "Log out everywhere else" not in html  # one session only
    assert reverse("socialaccount_connections") not in html  # no provider switched on


def test_with_two_factors_on_the_page_says_so_and_counts_the_recovery_codes(client):
    jane = UserFactory(email="jane@example.com")
    TOTP.activate(jane, generate_totp_secret())
    RecoveryCodes.activate(jane)
    client.force_login(jane)
    html = client.get(reverse("user_settings")).content.decode()
    assert "Turn two-factor authentication off" in html
    assert reverse("mfa_deactivate_totp") in html
    assert "10 left" in html
    assert reverse("mfa_activate_totp") not in html
