"""CSRF on every POST, security headers, session expiry, the admin, and pages safe under the CSP."""

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from influence.core.models import Workspace
from tests.security.test_url_matrix import _refused
from tests.security.url_matrix import TABLE
from tests.security.world import PERSONAS, database_state
from tests.test_settings import production_environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# Views that take POSTs without a CSRF token, and why.
CSRF_EXEMPT = {
    # One-click unsubscribe (RFC 8058): mail clients POST without cookies; the signed token authorises it.
    "digest_unsubscribe",
}
# The JSON API (api_*) reads no session cookie at all, only access tokens: a cross-site POST with the
# victim's cookies is refused 401 before anything happens (tests/api/test_tokens.py).
POST_ROWS = sorted(
    name for name, row in TABLE.items()
    if row.post is not None and name not in CSRF_EXEMPT and not name.startswith("api_")
)


@pytest.mark.parametrize("name", POST_ROWS)
def test_a_cross_site_post_without_the_csrf_token_is_refused_and_changes_nothing(name, world):
    row = TABLE[name]
    # The most privileged persona whose POST would otherwise go through.
    persona = next(p for p in reversed(PERSONAS) if not _refused(row.post[p]) or p == "anonymous")
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    before = database_state()

    response = client.post(reverse(name, kwargs=row.kwargs(world)), row.data(world), HTTP_ORIGIN="https://evil.test")

    assert response.status_code == 403, f"{name} as {persona}: {response.status_code}"
    assert database_state() == before


def test_the_same_post_with_the_token_from_the_page_goes_through(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    page = client.get(reverse("workspace_settings", args=[world.workspace.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("workspace_rename", args=[world.workspace.pk]), {"rename-name": "Renamed", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Workspace.objects.get(pk=world.workspace.pk).name == "Renamed"


def _templates() -> list[Path]:
    # Emails are not served pages: mail clients need inline styles and no CSP applies.
    return [p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts]


CSRF_EXEMPT_TEMPLATES = {"digests/unsubscribe.html"}


def test_every_post_form_of_every_page_carries_the_csrf_token():
    missing = []
    for path in _templates():
        text = path.read_text()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            opening = form.split(">", 1)[0]
            if re.search(r'method="post"', opening, re.I) and "{% csrf_token %}" not in form:
                missing.append(str(path.relative_to(TEMPLATES)))
    assert sorted(set(missing) - CSRF_EXEMPT_TEMPLATES) == []


def test_no_page_template_has_inline_script_style_or_event_handlers():
    offences = []
    for path in _templates():
        text = path.read_text()
        name = str(path.relative_to(TEMPLATES))
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offences.append(f"{name}: inline {tag}")
        if re.search(r"<style\b", text, re.I):
            offences.append(f"{name}: <style>")
        for attribute in re.findall(r"\s(style|on[a-z]+)\s*=", text, flags=re.I):
            offences.append(f"{name}: {attribute}= attribute")
    assert offences == []


def test_pages_send_the_security_headers(owner_client, workspace):
    response = owner_client.get(reverse("workspace_settings", args=[workspace.pk]))

    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_send_the_security_headers_too(client):
    response = client.get(reverse("account_login"))

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_login_lasts_two_weeks_across_browser_restarts_then_expires(client, owner):
    assert django_settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False
    client.force_login(owner)
    assert client.get(reverse("home")).status_code == 200

    with time_machine.travel(timezone.now() + dt.timedelta(days=14, minutes=1)):
        response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_admin_refuses_a_signed_in_user_who_is_not_staff(owner_client, owner):
    response = owner_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "Site administration" not in owner_client.get("/admin/", follow=True).content.decode()


def test_the_admin_opens_for_staff(client, owner):
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client.force_login(owner)

    assert client.get("/admin/").status_code == 200


# One process: the deploy check with the full production set (Redis included), then the values it judged.
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def test_the_full_production_set_passes_the_deploy_check_with_hsts_and_secure_cookies():
    env = production_environment()
    env["REDIS_URL"] = "redis://127.0.0.1:6379/1"

    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SESSION_COOKIE_AGE": 14 * 24 * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": False,
    }
