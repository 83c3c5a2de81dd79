"""Shared fixtures: the personas (owner, editor, viewer, outsider) and real worker processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from influence.core.choices import Role
from tests.factories import MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def light_password_hashing(settings):
    """Argon2 as in production, with costs that keep the personas' hashing quick."""
    settings.PASSWORD_HASHERS = ["tests.support.hashers.LightArgon2PasswordHasher"]


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Acme PR")


@pytest.fixture
def subject(workspace):
    return SubjectFactory(workspace=workspace, name="Jane Doe")


def _member(workspace, role, email):
    user = UserFactory(email=email)
    MembershipFactory(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def owner(workspace):
    return _member(workspace, Role.OWNER, "owner@example.com")


@pytest.fixture
def editor(workspace):
    return _member(workspace, Role.EDITOR, "editor@example.com")


@pytest.fixture
def viewer(workspace):
    return _member(workspace, Role.VIEWER, "viewer@example.com")


@pytest.fixture
def outsider(db):
    """A user with a workspace of their own, and no membership of `workspace`."""
    return _member(WorkspaceFactory(name="Elsewhere"), Role.OWNER, "outsider@example.com")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(client, owner):
    return _client_for(client, owner)


@pytest.fixture
def editor_client(client, editor):
    return _client_for(client, editor)


@pytest.fixture
def viewer_client(client, viewer):
    return _client_for(client, viewer)


@pytest.fixture
def outsider_client(client, outsider):
    return _client_for(client, outsider)


def worker_environment(**extra) -> dict:
    """The environment of a process that must see this test's database and queue."""
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{connection.settings_dict['USER'] or 'postgres'}:{connection.settings_dict['PASSWORD'] or ''}"
        f"@{connection.settings_dict['HOST'] or '127.0.0.1'}:{connection.settings_dict['PORT'] or 5432}"
        f"/{connection.settings_dict['NAME']}"
    )
    env["CONN_MAX_AGE"] = "0"
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path):
    """Start real Celery worker processes on this test's Redis queue and database.

    Tests using it see committed rows only (transactional_db). Each call starts
    one worker; all are stopped when the test ends. Extra keyword arguments
    become environment variables of the worker (e.g. EMAIL_URL).
    """
    from influence.celery import app

    app.control.purge()
    processes = []

    def start(concurrency: int = 2, pool: str = "threads", **env):
        name = f"w{len(processes)}-{os.getpid()}@test"
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "influence", "worker",
                f"--pool={pool}", f"--concurrency={concurrency}", "-n", name,
                "--without-gossip", "--without-mingle", "--loglevel=INFO",
            ],
            cwd=ROOT, env=worker_environment(**env), stdout=log, stderr=subprocess.STDOUT,
        )
        processes.append((proc, log))

        def answers() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited early; see {log.name}")
            return bool(app.control.ping(destination=[name], timeout=0.5))

        wait_until(answers, timeout=30, interval=0, what=f"worker {name} to answer a ping (its log: {log.name})")
        return proc

    yield start
    for proc, _log in processes:
        proc.terminate()
    for proc, log in processes:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def fake_api():
    """A local HTTP server answering like a remote API (see tests/support/fake_api.py)."""
    from tests.support.fake_api import FakeAPI

    with FakeAPI() as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, shared by a module's tests (see tests/support/browser.py)."""
    from tests.support.browser import launched_browser

    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls stay plain synchronous ones.
    with pytest.MonkeyPatch.context() as patch, launched_browser() as chromium:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield chromium


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port (see tests/support/smtp.py)."""
    from tests.support.smtp import Inbox, free_port

    inbox = Inbox(free_port()).start()
    yield inbox
    inbox.stop()


@pytest.fixture
def closed_smtp_port():
    """A port with nothing listening yet; `.start()` opens the server on it later."""
    from tests.support.smtp import Inbox, free_port

    inbox = Inbox(free_port())
    yield inbox
    inbox.stop()


@pytest.fixture
def mail_to(settings):
    """Point this process's email settings at an Inbox (the code under test sends over SMTP)."""

    def point(inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = inbox.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return inbox

    return point


@pytest.fixture
def smtp_inbox(smtp_server, mail_to):
    """A local SMTP server that this process's email goes to for the duration of the test."""
    return mail_to(smtp_server)


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo's story seeded once for the module on DEMO_DAY (it takes a second or two), removed afterwards."""
    from influence.demo import story
    from tests.support.demo import DEMO_DAY

    with django_db_blocker.unblock():
        result = story.seed(today=DEMO_DAY)
        yield result
        result.workspace.delete()
        result.user.delete()
