"""How much does the dashboard add to reading a subject's five years of scores?

One subject with five years of daily data (four metrics on two accounts every
day, a manual account, 30 activities, 1,826 daily snapshots), on PostgreSQL.

1. Server time, in process: the subject page, and its chart endpoint
   (series.json, range "all": the five years, downsampled to weeks), each
   measured twice: as a direct view call (a logged-in request object, the view's
   own queries and work) and through Django's test Client (every middleware,
   the session and user lookups included). The floor: a plain SQL query
   (psycopg2 cursor) reading the same rows, the subject's five years of charted
   snapshot columns. Prints each mean time and its ratio to the floor (target:
   at most 3x). Medians, the measured calls taking turns.
2. Throughput under load: wrk (or a bounded Python load generator when wrk is
   not installed) against gunicorn on 127.0.0.1, the subject page's requests
   per second divided by a trivial view's (same server, same middleware, same
   session cookie; target: at least 0.25).

    .venv/bin/python bench/dashboard.py [--repeat N] [--duration S] [--workers N]

DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/influence_bench_dashboard)
names the server; a test database beside it is created and dropped. The site runs as in
production, DEBUG off (cached templates, no query log, hashed static files collected into a
temporary directory), over plain HTTP on 127.0.0.1; DEBUG=1 in the environment measures the
development settings instead.
"""

import argparse
import base64
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from _setup import ROOT, build_without_migrations, start

VAR_DIR = tempfile.mkdtemp(prefix="influence-bench-")
start(
    "influence_bench_dashboard",
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies sent without TLS.
    SECURE_SSL_REDIRECT="0",
    SESSION_COOKIE_SECURE="0",
    CSRF_COOKIE_SECURE="0",
    INFLUENCE_VAR_DIR=VAR_DIR,
)

from django.conf import settings  # noqa: E402
from django.contrib.messages.storage.fallback import FallbackStorage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

FLOOR_SQL = (
    "SELECT day, total, online, offline, online_points FROM core_scoresnapshot WHERE subject_id = %s ORDER BY day"
)


def build():
    from influence.core.choices import Role
    from influence.core.models import Membership, Subject, User, Workspace
    from influence.scoring.snapshots import today
    from tests.dashboard.history import build_history

    user = User.objects.create_user("bench@example.com", "bench-password-42")
    workspace = Workspace.objects.create(name="Bench")
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    subject = Subject.objects.create(workspace=workspace, name="Jane Doe")
    history = build_history(subject, today(), years=5)
    return user, subject, history


def timed(functions: dict, repeat: int) -> dict:
    """Median seconds per call of each function. The calls take turns, so that a burst of
    load on the machine falls on all of them alike; a few warm-up rounds come first."""
    for _ in range(5):
        for function in functions.values():
            function()
    samples: dict = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def server_time(user, subject, repeat: int) -> None:
    from dashboard.views.charts import subject_series
    from dashboard.views.subjects import subject_detail

    client = Client()
    client.force_login(user)
    factory = RequestFactory()
    page_url = reverse("subject_detail", args=[subject.pk])
    series_url = reverse("subject_series", args=[subject.pk]) + "?range=all"

    def through_client(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return call

    def direct(view, url):
        def call():
            request = factory.get(url)
            request.user = user
            request.session = {}
            request._messages = FallbackStorage(request)
            response = view(request, subject.pk)
            assert response.status_code == 200, response.status_code
            return response

        return call

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [subject.pk])
            rows = cursor.fetchall()
        assert len(rows) > 1800

    payload = len(through_client(series_url)().content)
    times = timed(
        {
            "floor": floor,
            "page view": direct(subject_detail, page_url),
            "page client": through_client(page_url),
            "series view": direct(subject_series, series_url),
            "series client": through_client(series_url),
        },
        repeat,
    )
    floor_time = times["floor"]
    print(f"floor, plain SQL reading the subject's 1,826 snapshot rows: {floor_time * 1000:.2f} ms (median)")
    for label, key in (("subject page", "page"), (f"series.json?range=all ({payload / 1024:.1f} KB)", "series")):
        view_time, client_time = times[f"{key} view"], times[f"{key} client"]
        print(f"{label}: view {view_time * 1000:.2f} ms, ratio {view_time / floor_time:.2f}x; "
              f"with every middleware {client_time * 1000:.2f} ms, ratio {client_time / floor_time:.2f}x "
              f"(target at most 3x)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workers: int, port: int) -> subprocess.Popen:
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.dashboard_site",
        DATABASE_URL=(
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        ),
        CONN_MAX_AGE="600",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.dashboard_site:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer")


def wrk_rate(url: str, cookie: str, duration: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-H", f"Cookie: {cookie}", url],
        check=True, capture_output=True, text=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"non-2xx answers from {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def python_rate(url: str, cookie: str, duration: int, connections: int) -> float:
    """A bounded load generator: `connections` threads requesting for `duration` seconds."""
    stop = time.monotonic() + duration
    counts = [0] * connections

    def run(slot):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        while time.monotonic() < stop:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                assert response.status == 200
            counts[slot] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def throughput(user, subject, duration: int, workers: int, connections: int) -> None:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    server = start_gunicorn(workers, port)
    tool = "wrk" if shutil.which("wrk") else "python"
    rate = wrk_rate if tool == "wrk" else python_rate
    # Short runs taking turns, so that the machine's other load falls on both alike.
    rounds = max(1, duration // 3)
    step = max(1, duration // rounds)
    try:
        base = f"http://127.0.0.1:{port}"
        pages, trivials = [], []
        for _ in range(rounds):
            pages.append(rate(base + reverse("subject_detail", args=[subject.pk]), cookie, step, connections))
            trivials.append(rate(base + "/bench/trivial/", cookie, step, connections))
        page, trivial = statistics.mean(pages), statistics.mean(trivials)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load ({tool}, {connections} connections, {rounds} turns of {step} s each; gunicorn, {workers} workers):")
    print(f"  trivial view: {trivial:.0f} requests/s")
    print(f"  subject page: {page:.0f} requests/s, ratio {page / trivial:.2f} (target at least 0.25)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    if not settings.DEBUG:
        # The manifest of hashed static file names the templates' {% static %} reads.
        call_command("collectstatic", interactive=False, verbosity=0)
    print(f"DEBUG={'on' if settings.DEBUG else 'off'}")
    build_without_migrations()
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        started = time.perf_counter()
        user, subject, history = build()
        elapsed = time.perf_counter() - started
        print(f"built five years for one subject: {history['observations']} observations, "
              f"{len(history['activities'])} activities, snapshots recomputed, in {elapsed:.1f} s")
        server_time(user, subject, args.repeat)
        throughput(user, subject, args.duration, args.workers, args.connections)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)
        shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
