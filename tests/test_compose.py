"""docker-compose.yml and the Dockerfile, read as files (no container engine runs here)."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SETTINGS = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "FIELD_ENCRYPTION_KEY",
    "SITE_URL",
]
SECRETS = ["SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALLOWED_HOSTS", "SITE_URL"]


@pytest.fixture(scope="module")
def raw() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(raw) -> dict:
    return yaml.safe_load(raw)


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_text(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_every_service(services):
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "mailpit"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")


def test_worker_and_beat_reuse_the_web_definition_and_change_only_the_command(raw, compose, services):
    # One anchored block, merged into the three application services.
    assert re.search(r"^x-app: &app$", raw, re.MULTILINE)
    assert raw.count("<<: *app") == 3
    shared = compose["x-app"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert {key: value for key, value in service.items() if key in shared} == shared
    assert set(services["worker"]) == set(shared) | {"command"}
    assert set(services["beat"]) == set(shared) | {"command"}
    # The web service adds only what serves HTTP: its published port and health probe.
    assert set(services["web"]) == set(shared) | {"command", "ports", "healthcheck"}
    assert shared["build"] == "."


def test_web_migrates_then_serves_with_gunicorn(services):
    command = command_text(services["web"])
    assert command.index("manage.py migrate --noinput") < command.index("exec gunicorn influence.wsgi:application")
    assert "0.0.0.0:8000" in command
    assert any(port.endswith(":8000") for port in services["web"]["ports"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def published(service: dict) -> list[str]:
    return [str(port) for port in service.get("ports", [])]


def test_only_the_web_port_and_mailpits_ui_are_published_and_on_the_loopback_address_only(services):
    # Mailpit's UI shows every email (password-reset links included); the web process trusts
    # the X-Forwarded-* headers of its proxy: neither may be reachable from other machines.
    assert published(services["web"]) == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    assert published(services["mailpit"]) == ["127.0.0.1:${MAILPIT_PORT:-8025}:8025"]
    for name, service in services.items():
        if name not in ("web", "mailpit"):
            assert published(service) == [], name
        assert all(port.startswith("127.0.0.1:") for port in published(service)), name
    # Mailpit's SMTP port stays inside compose's network.
    assert not any("1025" in port for port in published(services["mailpit"]))


def test_the_application_trusts_one_proxy_and_takes_a_key_list_for_rotations(compose):
    environment = compose["x-app"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    assert environment["FIELD_ENCRYPTION_KEYS"] == "${FIELD_ENCRYPTION_KEYS:-}"


def test_worker_and_beat_commands(services):
    assert command_text(services["worker"]).startswith("celery -A influence worker")
    beat = command_text(services["beat"])
    assert beat.startswith("celery -A influence beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_workers_can_scale(services):
    worker = services["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_every_setting_production_requires_is_given(compose):
    environment = compose["x-app"]["environment"]
    for name in PRODUCTION_SETTINGS:
        assert environment.get(name), name
    assert environment["DEBUG"] == "0"
    assert environment["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"
    assert environment["REDIS_URL"] == environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert environment["DATABASE_URL"].startswith("postgres://influence:")
    assert environment["DATABASE_URL"].endswith("@postgres:5432/influence")


def test_secrets_come_from_the_environment_and_stop_compose_when_missing(compose):
    environment = compose["x-app"]["environment"]
    for name in SECRETS:
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", environment[name]), environment[name]
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_application_waits_for_healthy_database_and_broker(compose, services):
    depends = compose["x-app"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]


def test_dockerfile_builds_a_static_ready_gunicorn_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "\nFROM python:3.11-slim\n" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    collect = re.search(r"RUN (DEBUG=0.*?collectstatic --noinput)", dockerfile, re.DOTALL)
    assert collect, "collectstatic runs at build time"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEY"):
        assert f"{name}=" in collect.group(1)
    assert '"gunicorn", "influence.wsgi:application"' in dockerfile
    assert re.search(r"^USER \w+", dockerfile, re.MULTILINE)


def test_the_docker_build_context_leaves_out_local_state_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "var", ".env"):
        assert entry in ignored


def test_the_example_environment_lists_every_secret_compose_asks_for(raw):
    example = (ROOT / ".env.example").read_text()
    asked = set(re.findall(r"\$\{(\w+):\?", raw))
    assert asked == {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "POSTGRES_PASSWORD", "FIELD_ENCRYPTION_KEY"}
    for name in asked:
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


def interpolate(value: str, given: dict) -> str:
    """Compose's ${NAME:?message} and ${NAME:-default}, enough for this file."""

    def replace(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if given.get(name):
            return given[name]
        assert operator == ":-", f"{name} is required and was not given"
        return rest

    return re.sub(r"\$\{(\w+)(:[?-])([^}]*)\}", replace, value)


def test_the_compose_environment_passes_the_deploy_check(compose):
    given = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "POSTGRES_PASSWORD": "not-used-by-the-check",
        "ALLOWED_HOSTS": "influence.example.org",
        "SITE_URL": "https://influence.example.org",
    }
    environment = {name: interpolate(str(value), given) for name, value in compose["x-app"]["environment"].items()}
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for name in ("EMAIL_HOST", "EMAIL_FILE_PATH", "CELERY_QUEUE_PREFIX", "CACHE_KEY_PREFIX"):
        env.pop(name, None)
    env.update(environment, DJANGO_SETTINGS_MODULE="influence.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
