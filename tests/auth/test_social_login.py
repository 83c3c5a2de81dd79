"""Log-in with GitHub and Google, against a local server playing the provider's OAuth endpoints
(tests/support/fake_oauth.py): the whole round trip through the real URLs, no public internet."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from influence.core.choices import Role
from influence.core.models import Membership, User
from tests.factories import UserFactory
from tests.support.fake_oauth import FakeOAuthProvider, OAuthPerson, point_provider_at

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENT_ID = {"github": "gh-client-id", "google": "google-client-id.apps.googleusercontent.com"}
SECRET = {"github": "gh-client-secret", "google": "google-client-secret"}


def configured(kind: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS as settings.py builds it with the provider's env vars set."""
    from django.conf import settings

    providers = {name: dict(conf) for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()}
    providers[kind]["APPS"] = [{"client_id": CLIENT_ID[kind], "secret": SECRET[kind], "key": ""}]
    return providers


@pytest.fixture(params=["github", "google"])
def provider(request, settings, monkeypatch):
    kind = request.param
    settings.SOCIALACCOUNT_PROVIDERS = configured(kind)
    with FakeOAuthProvider(kind, CLIENT_ID[kind], SECRET[kind]) as server:
        point_provider_at(monkeypatch, server)
        yield server


def log_in_with(client: Client, provider: FakeOAuthProvider):
    """Press the provider's button, say yes at the provider, come back: the answer of our callback."""
    login_page = client.get(reverse("account_login")).content.decode()
    start = reverse(f"{provider.kind}_login")
    assert f'action="{start}' in login_page  # the button is there
    to_provider = client.post(start, {"process": "login"})
    assert to_provider.status_code == 302
    assert to_provider.url.startswith(provider.url)
    at_provider = requests.get(to_provider.url, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse(f"{provider.kind}_callback")
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def test_a_first_login_creates_the_user_with_a_verified_address_and_a_second_finds_them(client, provider):
    provider.person = OAuthPerson(uid="4242", email="ada@example.com", verified=True)
    response = log_in_with(client, provider)
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="ada@example.com")
    assert client.get(reverse("home")).wsgi_request.user == user
    assert EmailAddress.objects.filter(user=user, email="ada@example.com", verified=True, primary=True).exists()
    assert SocialAccount.objects.get(user=user).provider == provider.kind
    assert not user.has_usable_password()
    # A sign-up like any other: the personal workspace.
    assert Membership.objects.filter(user=user, role=Role.OWNER).count() == 1

    client.post(reverse("account_logout"))
    assert client.get(reverse("home")).status_code == 302
    again = log_in_with(client, provider)
    assert again.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user
    assert User.objects.count() == 1
    assert Membership.objects.filter(user=user).count() == 1
    # The provider was really asked: a code exchanged for a token, then who this is.
    token_path = "/token" if provider.kind == "google" else "/login/oauth/access_token"
    assert ("POST", token_path) in provider.requests


def test_an_address_the_provider_has_not_verified_stays_unconfirmed(client, provider, mailoutbox):
    provider.person = OAuthPerson(uid="77", email="unsure@example.com", verified=False)
    response = log_in_with(client, provider)
    assert response.status_code == 302
    user = User.objects.get(email="unsure@example.com")
    assert EmailAddress.objects.get(user=user, email="unsure@example.com").verified is False
    assert any("unsure@example.com" in m.to for m in mailoutbox)  # asked to confirm it, as after a sign-up


def test_a_verified_address_of_an_existing_account_logs_into_that_account(client, provider):
    jane = UserFactory(email="jane@example.com")
    provider.person = OAuthPerson(uid="99", email="jane@example.com", verified=True)
    response = log_in_with(client, provider)
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == jane
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(uid="99").user == jane


def test_a_provider_refusing_the_code_shows_the_error_page_and_logs_in_no_one(client, provider):
    provider.person = OAuthPerson(uid="5", email="eve@example.com")
    provider.client_secret = "rotated-at-the-provider"
    response = log_in_with(client, provider)
    assert response.status_code == 401
    assert "That log-in did not work" in response.content.decode()
    assert not User.objects.filter(email="eve@example.com").exists()
    assert "_auth_user_id" not in client.session


def test_without_their_settings_there_are_no_buttons(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("github_login") not in page
    assert reverse("google_login") not in page
    assert "Or log in with" not in page


def test_with_their_settings_the_buttons_appear(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = configured("github")
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("github_login") in page
    assert reverse("google_login") not in page


def _providers_with(env_extra: dict) -> subprocess.CompletedProcess:
    skipped = ("DJANGO_", "PYTEST_", "GITHUB_OAUTH", "GOOGLE_OAUTH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env.update(DJANGO_SETTINGS_MODULE="influence.settings", DEBUG="1", **env_extra)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "p = settings.SOCIALACCOUNT_PROVIDERS; print(sorted(k for k in p if p[k]['APPS']))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_each_provider_is_on_when_its_env_vars_are_set_and_both_are_needed():
    assert _providers_with({}).stdout.strip() == "[]"
    both = {"GITHUB_OAUTH_CLIENT_ID": "id", "GITHUB_OAUTH_CLIENT_SECRET": "s"}
    assert _providers_with(both).stdout.strip() == "['github']"
    google = {"GOOGLE_OAUTH_CLIENT_ID": "id", "GOOGLE_OAUTH_CLIENT_SECRET": "s"}
    assert _providers_with({**both, **google}).stdout.strip() == "['github', 'google']"
    half = _providers_with({"GOOGLE_OAUTH_CLIENT_ID": "id"})
    assert half.returncode != 0
    assert half.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET "
        "must be set together (see the settings table in README.md)."
    )
