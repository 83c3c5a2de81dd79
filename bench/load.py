"""Does the product hold 50 users at once, with no error?

Production's shape on one machine: gunicorn (DEBUG off, whitenoise, its
static files collected) on PostgreSQL and Redis, and a Celery worker (the
prefork pool, every queue) so that the recomputes the new activities ask for
run while users read. The database is the run's own (built from the models,
seeded, dropped at the end), and so are the Celery queues and cache keys.

Seeded: one user per simulated user, each with a workspace of two subjects
holding a year of daily numbers, activities and scores. Then locust, headless,
runs the users (bench/_load_users.py): each logs in through the login form at
LOGIN_URL, then goes round home, a subject, its chart data, a new activity
and "what changed", for two minutes. Printed: requests per second, the 50th,
95th and 99th percentile times per page, and the error count (it must be 0;
the script exits 1 otherwise). Then whether the recomputes caught up.

    .venv/bin/python bench/load.py [--users 50] [--duration 120] [--spawn-rate 10] [--web-workers 3]
                                   [--quick]   (--quick: 20 s)

DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/influence_bench_load) names the
server; REDIS_URL defaults to redis://127.0.0.1:6379/1.
"""

import argparse
import csv
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, RUN, build_without_migrations, start, start_worker_process, worker_environment

# This run's own queues (every name under the prefix; a worker without -Q listens to them all).
os.environ.setdefault("CELERY_QUEUE_PREFIX", f"bench-{RUN}-")
start("influence_bench_load", redis=True)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import resolve_url  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

SUBJECTS_PER_USER = 2
PASSWORD = "load-test-password-1"
PAGES = ["login form", "log in", "home", "subject", "chart data", "activity form", "add activity", "what changed"]


def seed(users: int, today: dt.date) -> list[dict]:
    """One user per simulated user: a workspace, two subjects with a year of history each."""
    from influence.core.models import Subject, User
    from influence.workspaces.members import create_workspace
    from tests.dashboard.history import build_history

    accounts = []
    for n in range(users):
        user = User.objects.create_user(f"load{n:03d}@example.com", PASSWORD, time_zone="Europe/Paris")
        workspace = create_workspace(user, f"Workspace {n}")
        subjects = []
        for s in range(SUBJECTS_PER_USER):
            subject = Subject.objects.create(workspace=workspace, name=f"Subject {n}.{s}")
            build_history(subject, today, years=1)
            subjects.append(subject.pk)
        accounts.append({"email": user.email, "password": PASSWORD, "subjects": subjects})
    return accounts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_environment(var_dir: str) -> dict[str, str]:
    """Production's settings over plain HTTP on 127.0.0.1 (no TLS redirect, cookies not HTTPS-only)."""
    return worker_environment(
        INFLUENCE_VAR_DIR=var_dir, SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="WARNING",
    )


def start_web(env: dict[str, str], workers: int, log) -> tuple[subprocess.Popen, str]:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "influence.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError("gunicorn did not start; see its log above") from None
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    """Stop a process, and its children when it leads a process group of its own (gunicorn's workers)."""
    if process.poll() is None:
        try:
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                process.terminate()
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()


def run_locust(url: str, users_file: str, args: argparse.Namespace, out: Path) -> None:
    env = dict(os.environ, LOAD_USERS_FILE=users_file, LOAD_LOGIN_PATH=resolve_url(settings.LOGIN_URL))
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "_load_users.py"), "--headless",
         "--host", url, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
         "--run-time", f"{args.duration}s", "--stop-timeout", "10", "--csv", str(out / "load"),
         "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=open(out / "locust.log", "w"),
    )


def report(out: Path) -> int:
    """The figures of locust's CSV: per page and in all; the number of errors."""
    if not (out / "load_stats.csv").exists():
        raise RuntimeError(f"locust wrote no figures:\n{(out / 'locust.log').read_text()[-3000:]}")
    with open(out / "load_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    print(f"{'page':<15}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in [*PAGES, "Aggregated"]:
        row = rows.get(name)
        if row is None:
            continue
        print(f"{'all pages' if name == 'Aggregated' else name:<15}{row['Request Count']:>10}"
              f"{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}")
    errors = int(rows["Aggregated"]["Failure Count"])
    failures = out / "load_failures.csv"
    if errors and failures.exists():
        print("errors:")
        for row in csv.DictReader(open(failures)):
            print(f"  {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error'][:200]}")
    return errors


def recomputes_caught_up(started: dt.datetime, timeout: float = 120) -> tuple[int, int, float]:
    """(activities added, subjects whose score is still older than their last added activity, seconds waited)."""
    from django.db.models import Max

    from influence.core.models import Activity, ScoreSnapshot

    begin = time.monotonic()
    added = Activity.objects.filter(created_at__gte=started).count()
    while True:
        last_added = dict(
            Activity.objects.filter(created_at__gte=started).values("subject_id")
            .annotate(last=Max("created_at")).values_list("subject_id", "last")
        )
        computed = dict(
            ScoreSnapshot.objects.filter(subject_id__in=last_added).values("subject_id")
            .annotate(last=Max("computed_at")).values_list("subject_id", "last")
        )
        behind = sum(1 for s, last in last_added.items() if computed.get(s) is None or computed[s] < last)
        if not behind or time.monotonic() - begin > timeout:
            return added, behind, time.monotonic() - begin
        time.sleep(1)
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (compose's default)")
    parser.add_argument("--quick", action="store_true", help="20 s instead of --duration")
    args = parser.parse_args()
    if args.quick:
        args.duration = 20

    build_without_migrations()
    old = setup_databases(verbosity=0, interactive=False)
    work = Path(tempfile.mkdtemp(prefix="influence-load-"))
    processes: list[subprocess.Popen] = []
    web_log = open(work / "web.log", "w+")
    try:
        today = dt.date.today()
        begin = time.monotonic()
        accounts = seed(args.users, today)
        users_file = work / "users.json"
        users_file.write_text(json.dumps(accounts))
        print(f"seeded {len(accounts)} users, {len(accounts) * SUBJECTS_PER_USER} subjects with a year of history "
              f"in {time.monotonic() - begin:.0f} s")
        connection.close()

        env = web_environment(str(work))
        worker = f"load-{RUN}@{socket.gethostname()}"
        processes.append(start_worker_process(worker, ["--pool=prefork", "-c", "2"], env, timeout=60))
        web, url = start_web(env, args.web_workers, web_log)
        processes.append(web)
        print(f"load: {args.users} users for {args.duration} s on gunicorn ({args.web_workers} workers) at {url}, "
              "one Celery worker (prefork, 2 processes)")
        started = dt.datetime.now(dt.UTC)
        run_locust(url, str(users_file), args, work)
        errors = report(work)
        added, behind, waited = recomputes_caught_up(started)
        print(f"activities added: {added}; subjects whose score had not caught up {waited:.0f} s after the load: "
              f"{behind}")
        web_log.seek(0)
        server_errors = [line for line in web_log if "Traceback" in line or "[ERROR]" in line]
        if server_errors:
            print(f"gunicorn logged {len(server_errors)} error line(s), e.g. {server_errors[0].strip()}")
        print(f"errors: {errors}")
        if errors or behind:
            sys.exit(1)
    finally:
        for process in processes:
            stop(process)
        web_log.close()
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
