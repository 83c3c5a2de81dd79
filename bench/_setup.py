"""The start every benchmark shares: its environment, then Django.

Each run gets a database of its own beside DATABASE_URL's (a test database,
built from the models and dropped at the end) and, when it uses Redis, a
Celery queue and cache prefix of its own, so that runs never share state.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = uuid.uuid4().hex[:8]


def start(database: str, redis: bool = False, **defaults: str) -> None:
    """Set the run's environment (what the caller's shell gives wins) and set Django up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres:postgres@127.0.0.1:5432/{database}")
    if redis:
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
        os.environ["CELERY_QUEUE_PREFIX"] = f"bench-{RUN}-"
        os.environ["CACHE_KEY_PREFIX"] = f"bench-{RUN}"
    for name, value in {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "influence.settings", "LOG_LEVEL": "WARNING",
                        **defaults}.items():
        os.environ.setdefault(name, value)

    import django

    django.setup()


def build_without_migrations() -> None:
    """The throwaway database is built straight from the models: quicker than replaying migrations."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False


def worker_environment(**extra: str) -> dict[str, str]:
    """The environment of a worker process a benchmark starts: this run's throwaway database, as in
    production DEBUG off (no query log kept per connection) with one connection kept per process or
    thread between tasks, then `extra`."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        CONN_MAX_AGE="600",
        DEBUG="0",
        SECRET_KEY="bench-" + RUN,
        ALLOWED_HOSTS="127.0.0.1",
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
    )
    env.update(extra)
    return env


def start_worker_process(name: str, options: list[str], env: dict[str, str], timeout: float) -> "subprocess.Popen":
    """A Celery worker process named `name`, started with `options` and `env`, once it answers a ping;
    its errors are shown if it does not start (kept in a file: a pipe nobody reads would block it)."""
    from influence.celery import app

    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "influence", "worker", "-n", name,
         "--without-gossip", "--without-mingle", "--loglevel=WARNING", *options],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    deadline = time.monotonic() + timeout
    while not app.control.ping(destination=[name], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            raise RuntimeError(f"the worker did not start:\n{log.read()[-3000:]}")
    return process
