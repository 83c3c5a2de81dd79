"""Private services for the fault tests: a PostgreSQL cluster, a Redis server and the product's processes.

A fault test stops and starts its database and its broker; the suite's shared PostgreSQL and Redis
(127.0.0.1:5432 and :6379) are never touched, so tests running in parallel are not disturbed. Each
service runs on a spare port under a directory of its own, and `Services` (a context manager)
removes everything it started, processes included, even when the test fails:

    with Services() as services:
        services.start_postgres(); services.start_redis()
        services.migrate()
        worker = services.start_worker("w1", concurrency=4)
        services.redis.stop(); ...; services.redis.start()

PostgreSQL runs as the `postgres` OS user (it refuses to run as root) with a data directory that
user owns; the product's processes (Celery workers, beat, gunicorn) get an environment pointing at
both private services, production's DEBUG off for workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path(sorted(glob("/usr/lib/postgresql/*/bin"))[-1]) if glob("/usr/lib/postgresql/*/bin") else Path("/usr/bin")
PG_USER = "postgres"
DATABASE = "influence_faults"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:g} s for {what}, in vain")
        time.sleep(0.1)


def _as_postgres(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres OS user when this process is root (the CI's case)."""
    prefix = ["runuser", "-u", PG_USER, "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, timeout=60, **kwargs)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrivatePostgres:
    """A PostgreSQL cluster of one test: `initdb` once, then start, stop and restart at will."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgres://postgres:postgres@127.0.0.1:{self.port}/{DATABASE}"

    def init(self, template: Path | None = None) -> None:
        """A new cluster, or a copy of a stopped one (`template`: a data directory, already migrated)."""
        if template is not None:
            _as_postgres(["cp", "-a", str(template), str(self.data)])
            return
        # Quick and throwaway: no fsync, trust on the loopback only.
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--no-sync", "--no-instructions"])

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                      "-w", "-t", "30", "start"])

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `fast` ends every session at once, as a restart by an operator does."""
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop"])

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def create_database(self) -> None:
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE])

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop(mode="immediate")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)


class PrivateRedis:
    """A redis-server of one test. A stop saves its data, as a clean shutdown of a production Redis
    does (RDB); `start` after `stop` loads it back."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.root / "redis.log", "a")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root),
             "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        _wait(lambda: _answers(self.port), 20, f"redis-server on port {self.port}")

    def stop(self) -> None:
        import redis

        if self.process is None:
            return
        try:
            redis.Redis(port=self.port, socket_timeout=5).shutdown(save=True)
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # SHUTDOWN closes the connection under the client's feet
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def remove(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@dataclass
class Process:
    """A product process started by `Services`: its Popen, name and log file."""

    name: str
    popen: subprocess.Popen
    log: Path
    env: dict[str, str] = field(repr=False, default_factory=dict)
    args: list[str] = field(repr=False, default_factory=list)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def children(self) -> list[int]:
        """The pids of its direct children (a prefork worker's pool processes)."""
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def kill(self) -> None:
        """kill -9 of the whole process group: the main process and every child, with no warning."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=20)

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:] if self.log.exists() else ""


class Services:
    """A test's private PostgreSQL and Redis, and the product processes it runs on them."""

    def __init__(self) -> None:
        # Under /tmp rather than pytest's tmp_path: the postgres user must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="influence-faults-"))
        os.chmod(self.root, 0o755)
        self.postgres = PrivatePostgres(self._directory("postgres", owner=PG_USER))
        self.redis = PrivateRedis(self._directory("redis"))
        self.logs = self._directory("logs")
        self.processes: list[Process] = []
        self.run = uuid.uuid4().hex[:8]
        # The ORM alias of the private database in the test process (set by tests/faults/conftest.py).
        self.alias = ""

    def _directory(self, name: str, owner: str | None = None) -> Path:
        path = self.root / name
        path.mkdir()
        if owner and os.geteuid() == 0:
            shutil.chown(path, owner, owner)
            os.chmod(path, 0o700)
        return path

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def start_postgres(self, template: Path | None = None) -> None:
        """A cluster of this test's own: a copy of `template` (see `migrated_template`), else a new one
        with an empty database."""
        self.postgres.init(template)
        self.postgres.start()
        if template is None:
            self.postgres.create_database()

    def start_redis(self) -> None:
        self.redis.start()

    def environment(self, **extra: str) -> dict[str, str]:
        """A product process's environment: the private services, production's DEBUG off, then `extra`."""
        from django.conf import settings

        env = dict(os.environ)
        # The suite's own (per-run) broker and cache settings would point at the shared Redis.
        for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "PYTEST_XDIST_WORKER"):
            env.pop(name, None)
        env.update(
            DATABASE_URL=self.postgres.url,
            REDIS_URL=self.redis.url,
            DEBUG="0",
            SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
            CONN_MAX_AGE="600",
            LOG_LEVEL="INFO",
            # A process blocked on a dead service must not hold a test for minutes.
            EMAIL_TIMEOUT="5",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = 120, **env: str) -> str:
        """`manage.py <args>` on the private services; its output (an error shows it whole)."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.environment(**env),
            capture_output=True, text=True, timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.manage("migrate", "--no-input", "-v", "0")

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        """Start a process in a process group of its own (so that kill -9 reaches its children)."""
        log = self.logs / f"{name}.log"
        with open(log, "a") as output:
            popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        process = Process(name, popen, log, env, args)
        self.processes.append(process)
        return process

    def restart_if_exited(self, process: Process) -> Process | None:
        """What a supervisor does with a restart policy (compose's `restart: unless-stopped`): start a
        process that exited again, with the same command; None when it is still running."""
        if process.popen.poll() is None:
            return None
        return self.spawn(f"{process.name}-again", process.args, process.env)

    def start_worker(self, name: str, concurrency: int = 2, options: list[str] | None = None,
                     timeout: float = 40, **env: str) -> Process:
        """A Celery worker of the prefork pool, as in production, once it answers a ping."""
        node = f"{name}-{self.run}@faults"
        process = self.spawn(
            name,
            [sys.executable, "-m", "celery", "-A", "influence", "worker", "-n", node, "--pool=prefork",
             f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--loglevel=INFO",
             *(options or [])],
            self.environment(**env),
        )
        _wait(lambda: self._pings(node, process), timeout, f"worker {node} to answer (log: {process.log})")
        return process

    def _pings(self, node: str, process: Process) -> bool:
        if process.popen.poll() is not None:
            raise RuntimeError(f"worker {process.name} exited:\n{process.output()}")
        with self.celery() as app:
            return bool(app.control.ping(destination=[node], timeout=0.5))

    def start_beat(self, name: str = "beat", **env: str) -> Process:
        """Celery beat with the product's scheduler (django-celery-beat's tables)."""
        schedule = self.root / f"{name}-schedule"
        return self.spawn(
            name,
            [sys.executable, "-m", "celery", "-A", "influence", "beat", "--loglevel=INFO",
             "-s", str(schedule), "--max-interval", "1"],
            self.environment(**env),
        )

    def start_web(self, name: str = "web", workers: int = 2, **env: str) -> tuple[Process, str]:
        """gunicorn serving the product, as in production; the base URL once it answers."""
        port = free_port()
        process = self.spawn(
            name,
            [sys.executable, "-m", "gunicorn", "influence.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "2", "--access-logfile", "-"],
            self.environment(**env),
        )

        def answers() -> bool:
            if process.popen.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{process.output()}")
            return _answers(port)

        _wait(answers, 40, f"gunicorn on port {port}")
        return process, f"http://127.0.0.1:{port}"

    def celery(self) -> _Client:
        """A Celery client on the private broker, for sending tasks by name and pinging workers."""
        return _Client(self.redis.url)

    def stop_process(self, process: Process, timeout: float = 20) -> None:
        if process.popen.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
            except ProcessLookupError:
                pass

    def remove(self) -> None:
        """Stop every process, then the services, then delete their files: whatever state they are in."""
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for process in self.processes:
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        for service in (self.redis, self.postgres):
            try:
                service.remove()
            except Exception as exc:  # noqa: BLE001 (cleanup goes on; the failure is reported)
                print(f"could not stop {type(service).__name__}: {exc}", file=sys.stderr)
        shutil.rmtree(self.root, ignore_errors=True)

    def logs_text(self) -> str:
        """Every process's errors and warnings, then its last lines: for a failure message."""
        parts = []
        for process in self.processes:
            lines = process.output(10**7).splitlines()
            notable = [line for line in lines if any(word in line for word in ("ERROR", "WARNING", "CRITICAL"))]
            parts.append(f"--- {process.name}: errors and warnings ---\n" + "\n".join(notable[-40:]))
            parts.append(f"--- {process.name}: last lines ---\n" + "\n".join(lines[-25:]))
        return "\n".join(parts)


def migrated_template() -> tuple[Services, Path]:
    """A stopped cluster holding the migrated database, for the tests' clusters to copy: one
    `migrate` per test session instead of one per test. Remove the Services when done."""
    services = Services()
    try:
        services.start_postgres()
        services.migrate()
        services.postgres.stop()
    except BaseException:
        services.remove()
        raise
    return services, services.postgres.data


class _Client:
    """A throwaway Celery app on the private broker (the suite's own app stays on the shared Redis).

    Celery lets CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment win over an app's
    configuration, and the suite sets them: they are set aside while the client is in use.
    """

    OVERRIDES = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")

    def __init__(self, broker: str):
        from celery import Celery

        # The product's Celery settings (queues, routes, key prefix), on the private broker.
        self.app = Celery(f"faults-{uuid.uuid4().hex[:6]}")
        self.app.config_from_object("django.conf:settings", namespace="CELERY")
        self.app.conf.broker_url = broker
        self.app.conf.result_backend = broker
        self.app.conf.broker_connection_retry_on_startup = False
        self.saved: dict[str, str] = {}

    def __enter__(self) -> Any:
        self.saved = {name: os.environ.pop(name) for name in self.OVERRIDES if name in os.environ}
        return self.app

    def __exit__(self, *exc: object) -> None:
        try:
            self.app.close()
        finally:
            os.environ.update(self.saved)


def use_database(url: str, alias: str = "faults") -> str:
    """Make the private database reachable from this process's ORM as `alias` (Model.objects.using(alias))."""
    from urllib.parse import urlsplit

    from django.db import connections

    settings = dict(connections.settings["default"])
    parts = urlsplit(url)
    settings.update(NAME=parts.path.lstrip("/"), HOST=parts.hostname, PORT=str(parts.port), USER=parts.username,
                    PASSWORD=parts.password or "", CONN_MAX_AGE=0, TEST={"NAME": None})
    connections.settings[alias] = settings
    return alias
