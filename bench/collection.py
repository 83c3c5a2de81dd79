"""How much slower than the bare HTTP requests is a scheduled collection through Celery?

2,000 Hacker News accounts (200 subjects of 10) served by a local HTTP server
that answers each request after 50 ms, as a remote API would, in a process of
its own. Measured: the time from the dispatcher's start to the last account
stored (observations upserted, account state written, each subject's score
recomputed), on PostgreSQL + Redis and Celery at concurrency 50: by default two
worker processes `--pool=threads -c 25`, one per core of the 2-core reference
machine (a single process runs its Python on one core at a time; production's
default prefork pool also runs a process per core), each reserving 4 messages
a thread, run as in production (DEBUG off), rate limits off. The dispatcher is the product's task, run by a
worker as beat would have it. The floor: the same 2,000 requests made bare
with httpx from a pool of 50 threads sharing one client, their JSON decoded.
Prints both, their ratio (target: at most 2x) and accounts per second; then,
for reference, Celery's own cost: as many no-op tasks through the same workers.

    .venv/bin/python bench/collection.py [--accounts N] [--concurrency N] [--latency S] [--workers N] [--prefetch N]

DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/influence_bench_collection)
names the server; a test database beside it is created and dropped. REDIS_URL
defaults to redis://127.0.0.1:6379/1; the run uses a queue and cache prefix of its own.
"""

import argparse
import multiprocessing
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import RUN, build_without_migrations, start, start_worker_process, worker_environment

start("influence_bench_collection", redis=True)

import httpx  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

PER_SUBJECT = 10


def handle(n: int) -> str:
    return f"user{n:05d}"


def serve(accounts: int, latency: float, ready, port) -> None:
    """The remote API, in a process of its own so that it does not share the measured processes' CPU."""
    from tests.support.fake_api import FakeAPI

    api = FakeAPI()
    api.delay = latency
    for n in range(accounts):
        api.route("GET", f"/user/{handle(n)}.json", json={"id": handle(n), "karma": 1000 + n, "created": 1})
    # Every request is kept by the fake API for assertions; not here, where they would only grow.
    api.requests = _Discard()
    api.start()
    port.value = api.server.server_address[1]
    ready.set()
    while True:
        time.sleep(3600)


class _Discard(list):
    def append(self, item):
        return None


def build(accounts: int) -> None:
    from influence.core.models import Account, Subject, Workspace

    workspace = Workspace.objects.create(name="Agency")
    subjects = Subject.objects.bulk_create(
        [Subject(workspace=workspace, name=f"Client {s}") for s in range(accounts // PER_SUBJECT)]
    )
    Account.objects.bulk_create(
        [Account(subject=subjects[n // PER_SUBJECT], network="hackernews", handle=handle(n)) for n in range(accounts)]
    )


def start_worker(concurrency: int, api_url: str, number: int = 0, prefetch: int = 4) -> subprocess.Popen:
    return start_worker_process(
        f"bench{number}-{RUN}@bench",
        ["--pool=threads", f"--concurrency={concurrency}",
         # Each thread finds its next message already received when it is done
         # (CELERY_WORKER_PREFETCH_MULTIPLIER stays 1 for workers running long tasks).
         f"--prefetch-multiplier={prefetch}"],
        worker_environment(HACKERNEWS_API_URL=api_url, COLLECT_RATE_LIMITS_ENABLED="0"),
        timeout=60,
    )


def floor(api_url: str, accounts: int, concurrency: int) -> float:
    """The same requests, bare: httpx from a pool of threads sharing one client."""
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    with httpx.Client(timeout=10, limits=limits) as client:

        def get(n: int) -> int:
            response = client.get(f"{api_url}/user/{handle(n)}.json")
            response.raise_for_status()
            return response.json()["karma"]

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            karma = list(pool.map(get, range(accounts)))
        elapsed = time.perf_counter() - started
    assert karma == [1000 + n for n in range(accounts)]
    return elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), to tell CPU-bound from waiting."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all CPUs (Linux): our share and others' load."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / tick, sum(fields) / tick


def wait_until_collected(accounts: int, timeout: float = 1800) -> None:
    """Until every account is stored and every subject's score for today computed."""
    from influence.core.models import Account, ScoreSnapshot

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            Account.objects.filter(last_collected_at__isnull=False, queued_at__isnull=True).count() == accounts
            and ScoreSnapshot.objects.count() == accounts // PER_SUBJECT
        ):
            return
        time.sleep(0.05)
    raise SystemExit("the accounts were not all collected in time")


def celery_floor(workers: list[subprocess.Popen], tasks: int) -> tuple[float, float]:
    """Celery's own cost: `tasks` no-op tasks (health.ping) queued and run; (seconds, worker CPU seconds).

    Each stores its result, which the collection task does not: a little more
    than the message handling alone.
    """
    from influence.celery import app
    from influence.core.tasks import ping

    cpu_before = sum(cpu_seconds(w.pid) for w in workers)
    started = time.perf_counter()
    with app.producer_or_acquire() as producer, producer.batch(max_size=500):
        results = [ping.apply_async(producer=producer) for _ in range(tasks)]
    for result in results:
        result.get(timeout=600)
    return time.perf_counter() - started, sum(cpu_seconds(w.pid) for w in workers) - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes sharing the concurrency (threads each: N / workers)"
    )
    parser.add_argument("--prefetch", type=int, default=4, help="messages each worker thread reserves")
    args = parser.parse_args()

    from influence.celery import app
    from influence.collection.tasks import dispatch_due_accounts
    from influence.core.models import Account, Observation, ScoreSnapshot

    ready, port = multiprocessing.Event(), multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=serve, args=(args.accounts, args.latency, ready, port), daemon=True)
    server.start()
    ready.wait(30)
    api_url = f"http://127.0.0.1:{port.value}"

    build_without_migrations()
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    workers = []
    try:
        build(args.accounts)
        threads = max(1, args.concurrency // args.workers)
        for n in range(args.workers):  # one by one: those started are stopped if the next fails
            workers.append(start_worker(threads, api_url, n, args.prefetch))
        app.control.purge()
        bare_before = machine_busy()
        bare = floor(api_url, args.accounts, args.concurrency)
        bare_busy, bare_total = (after - before for after, before in zip(machine_busy(), bare_before, strict=True))

        cpu_before = sum(cpu_seconds(w.pid) for w in workers)
        busy_before, total_before = machine_busy()
        started = time.perf_counter()
        queued = dispatch_due_accounts.delay().get(timeout=600)
        dispatched = time.perf_counter() - started
        wait_until_collected(args.accounts)
        celery = time.perf_counter() - started
        worker_cpu = sum(cpu_seconds(w.pid) for w in workers) - cpu_before
        busy_after, total_after = machine_busy()
        busy, total = busy_after - busy_before, total_after - total_before
        noop, noop_cpu = celery_floor(workers, args.accounts)

        observations = Observation.objects.count()
        snapshots = ScoreSnapshot.objects.count()
        failing = Account.objects.exclude(last_error="").count()
        if observations != args.accounts or failing or snapshots != args.accounts // PER_SUBJECT:
            raise SystemExit(f"expected {args.accounts} observations, {args.accounts // PER_SUBJECT} snapshots "
                             f"and no error; got {observations}, {snapshots} and {failing} errors")
        print(f"accounts: {args.accounts} ({args.accounts // PER_SUBJECT} subjects), "
              f"server latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency} "
              f"({args.workers} worker process{'es' if args.workers > 1 else ''} --pool=threads -c {threads} "
              f"--prefetch-multiplier={args.prefetch})")
        print(f"bare requests (httpx, {args.concurrency} threads): {bare:.2f} s, "
              f"{args.accounts / bare:.0f} accounts/s; machine CPU {bare_busy / bare_total * 100:.0f}% busy")
        print(f"through Celery (dispatch, fetch, store, scores): {celery:.2f} s, "
              f"{args.accounts / celery:.0f} accounts/s")
        print(f"  of which the dispatcher claiming and queueing {queued} tasks: {dispatched:.2f} s")
        print(f"ratio: {celery / bare:.2f}x (target at most 2x)")
        print(f"worker CPU: {worker_cpu:.2f} s ({worker_cpu / args.accounts * 1000:.2f} ms an account); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"machine CPU during the collection: {busy / total * 100:.0f}% busy ({busy:.2f} of {total:.2f} CPU s; "
              f"the workers {worker_cpu:.2f})")
        print(f"Celery's own floor, {args.accounts} no-op tasks: {noop:.2f} s ({noop / bare:.2f}x the bare requests), "
              f"worker CPU {noop_cpu:.2f} s ({noop_cpu / args.accounts * 1000:.2f} ms a task)")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        connection.close()
        teardown_databases(old, verbosity=0)
        server.terminate()


if __name__ == "__main__":
    main()
