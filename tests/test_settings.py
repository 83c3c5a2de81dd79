"""Production settings: start-up refuses to run without its secrets, and passes Django's deploy check."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEY"]
DEPLOY_CHECK = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def production_environment() -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="influence.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="influence.example.org",
        DATABASE_URL="postgres://influence:secret@db.internal:5432/influence",
        FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        SITE_URL="https://influence.example.org",
    )
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def assert_refused_naming(result: subprocess.CompletedProcess, name: str) -> None:
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    # The encryption key can also be given as a list (FIELD_ENCRYPTION_KEYS): the message says so.
    named = "FIELD_ENCRYPTION_KEY (or FIELD_ENCRYPTION_KEYS)" if name == "FIELD_ENCRYPTION_KEY" else name
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: "
        f"{named} must be set when DEBUG is off (see the settings table in README.md)."
    )


@pytest.mark.parametrize("name", REQUIRED)
def test_production_refuses_to_start_without_a_required_setting(name):
    env = production_environment()
    del env[name]
    assert_refused_naming(run([sys.executable, "-c", "import django; django.setup()"], env), name)


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL"])
def test_manage_py_refuses_an_empty_required_setting(name):
    env = production_environment()
    env[name] = ""
    assert_refused_naming(run([sys.executable, "manage.py", "check"], env), name)


def test_production_settings_pass_the_deploy_check():
    result = run(DEPLOY_CHECK, production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_weak_secret_key_fails_the_deploy_check():
    env = production_environment()
    env["SECRET_KEY"] = "short"
    result = run(DEPLOY_CHECK, env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_development_needs_no_secrets():
    env = {key: value for key, value in production_environment().items() if key not in REQUIRED}
    env["DEBUG"] = "1"
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode == 0, result.stderr


def test_every_environment_variable_the_settings_read_is_in_the_readme_table():
    source = (ROOT / "influence" / "settings.py").read_text()
    names = set(re.findall(r"""env\.\w+\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    names |= set(re.findall(r"""_required\(["']([A-Z][A-Z0-9_]+)["']\)""", source))
    names |= set(re.findall(r"""["']([A-Z][A-Z0-9_]+)["'] in env\.ENVIRON""", source))
    names |= set(re.findall(r"""Env\(\)\.\w+\(["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "INFLUENCE_VAR_DIR"} <= names
    table = "\n".join(line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert sorted(names - documented) == []


def test_passwords_are_hashed_with_argon2():
    # The project's own settings module: the suite hashes with a lighter argon2.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from influence import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("a-password", Argon2PasswordHasher().salt()).startswith("argon2$argon2id$")


def fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def last_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


SETUP_AND_PRINT_KEYS = [
    sys.executable, "-c",
    "import django; django.setup(); from django.conf import settings; print(','.join(settings.FIELD_ENCRYPTION_KEYS))",
]


@pytest.mark.parametrize("debug", ["0", "1"])
@pytest.mark.parametrize("malformed", ["not-a-key", "collectstatic-only", base64.urlsafe_b64encode(b"short").decode()])
def test_a_malformed_encryption_key_stops_start_up_naming_the_variable(debug, malformed):
    env = production_environment()
    env.update(DEBUG=debug, FIELD_ENCRYPTION_KEY=malformed)

    assert last_error(run([sys.executable, "manage.py", "check"], env)) == (
        "django.core.exceptions.ImproperlyConfigured: FIELD_ENCRYPTION_KEY: key 1 is not a Fernet key "
        "(32 url-safe base64-encoded bytes; see the settings table in README.md)."
    )


def test_a_malformed_key_in_the_list_stops_start_up_saying_which_one():
    env = production_environment()
    env["FIELD_ENCRYPTION_KEYS"] = f"{fernet_key()}, not-a-key"

    assert last_error(run(SETUP_AND_PRINT_KEYS, env)) == (
        "django.core.exceptions.ImproperlyConfigured: FIELD_ENCRYPTION_KEYS: key 2 is not a Fernet key "
        "(32 url-safe base64-encoded bytes; see the settings table in README.md)."
    )


def test_the_key_list_wins_over_the_single_key_and_is_enough_on_its_own():
    new, old = fernet_key(), fernet_key()
    env = production_environment()
    env["FIELD_ENCRYPTION_KEYS"] = f" {new} ,{old},"

    both = run(SETUP_AND_PRINT_KEYS, env)
    del env["FIELD_ENCRYPTION_KEY"]
    list_only = run(SETUP_AND_PRINT_KEYS, env)

    assert both.returncode == 0, both.stderr
    assert both.stdout.strip() == list_only.stdout.strip() == f"{new},{old}"


def test_the_single_key_alone_is_a_one_key_list():
    env = production_environment()
    result = run(SETUP_AND_PRINT_KEYS, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == env["FIELD_ENCRYPTION_KEY"]


def test_a_negative_proxy_count_stops_start_up():
    env = production_environment()
    env["TRUSTED_PROXY_COUNT"] = "-1"
    assert last_error(run([sys.executable, "manage.py", "check"], env)) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "TRUSTED_PROXY_COUNT must be 0 or more (see the settings table in README.md)."
    )
