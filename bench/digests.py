"""How much slower than the mail transport itself is a weekly email run?

1,000 users in 100 workspaces of 10 members, 5 subjects per workspace with a
year of daily snapshots, on PostgreSQL + Redis, a local SMTP server (aiosmtpd)
and real Celery worker processes. Measured: the time from the dispatcher's run
to the last email received by the SMTP server. The floor: the time to send
1,000 pre-rendered messages of the same sizes to the same server over one
connection. Prints both and their ratio; the target is at most 5x.

    .venv/bin/python bench/digests.py [--workers N] [--concurrency N]

DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/influence_bench_digests)
names the server; a test database beside it is created and dropped. REDIS_URL
defaults to redis://127.0.0.1:6379/1; the run uses a queue and cache prefix of its own.
"""

import argparse
import datetime as dt
import os
import random
import smtplib
import subprocess
import sys
import time

from _setup import ROOT, RUN, build_without_migrations, start

start("influence_bench_digests", redis=True, SITE_URL="https://influence.example.com")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from tests.support.smtp import Inbox, free_port  # noqa: E402

WORKSPACES = 100
MEMBERS = 10
SUBJECTS = 5
DAYS = 366
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # a Monday, after 08:00 UTC
NETWORKS = ["mastodon", "bluesky", "github", "youtube", "stackexchange"]
KINDS = ["talk", "book", "article", "media", "referral", "teaching"]


def breakdown(rng: random.Random, day: dt.date, total: float, online: float) -> dict:
    """A breakdown of the shape and size the score engine stores."""
    networks = {n: {"points": round(rng.uniform(1, 40), 4), "share": round(online / len(NETWORKS), 4), "count": 2}
                for n in NETWORKS}
    kinds = {k: {"points": round(rng.uniform(1, 20), 4), "share": round((total - online) / len(KINDS), 4), "count": 3}
             for k in KINDS}
    return {
        "model_version": "v1", "day": day.isoformat(), "total": total, "online": online, "offline": total - online,
        "online_points": 80.0, "offline_points": 40.0, "online_only": online * 1.2,
        "parameters": {"w_online": 1.0, "w_offline": 1.0, "k": 60.0},
        "networks": networks, "kinds": kinds,
        "top_items": [{"key": f"account:{i}:followers", "side": "online", "group": "github",
                       "label": f"github: handle{i}", "points": 10.0, "share": 3.0} for i in range(5)],
        "stale": [], "inputs": {"latest_observation": day.isoformat(), "latest_activity": day.isoformat()},
    }


def build() -> None:
    from allauth.account.models import EmailAddress

    from influence.core.choices import AccountStatus, Role
    from influence.core.models import Account, Activity, Membership, ScoreSnapshot, Subject, User, Workspace
    from influence.scoring import latest

    rng = random.Random(8)
    today = NOW.date()
    workspaces = Workspace.objects.bulk_create([Workspace(name=f"Agency {w:03d}") for w in range(WORKSPACES)])
    users = User.objects.bulk_create(
        [User(email=f"user{w:03d}-{m}@example.com", password="!", time_zone="UTC")
         for w in range(WORKSPACES) for m in range(MEMBERS)]
    )
    Membership.objects.bulk_create(
        [Membership(workspace=workspaces[i // MEMBERS], user=user, role=Role.VIEWER) for i, user in enumerate(users)]
    )
    # The weekly email goes to confirmed addresses only.
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users]
    )
    subjects = Subject.objects.bulk_create(
        [Subject(workspace=w, name=f"Client {w.pk}-{s}") for w in workspaces for s in range(SUBJECTS)]
    )
    snapshots, activities, accounts = [], [], []
    for subject in subjects:
        total = rng.uniform(10, 40)
        for offset in range(DAYS - 1, -1, -1):
            day = today - dt.timedelta(days=offset)
            total = min(95.0, max(1.0, total + rng.uniform(-0.8, 1.0)))
            online = total * rng.uniform(0.4, 0.7)
            snapshots.append(ScoreSnapshot(
                subject=subject, day=day, total=total, online=online, offline=total - online,
                online_points=80.0, offline_points=40.0, breakdown=breakdown(rng, day, total, online),
                model_version="v1",
            ))
        activities.append(Activity(subject=subject, kind="talk", title="A talk", date=today - dt.timedelta(days=2),
                                   audience=300, venue="A conference"))
        accounts.append(Account(subject=subject, network="github", handle=f"gh{subject.pk}",
                                status=AccountStatus.FAILING, last_error="HTTP 502"))
        accounts.append(Account(subject=subject, network="manual", handle=f"li{subject.pk}", label="LinkedIn"))
        if len(snapshots) >= 20000:
            ScoreSnapshot.objects.bulk_create(snapshots, batch_size=2000)
            snapshots = []
    ScoreSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    # Written in bulk past store_snapshots: the latest scores kept on the subjects follow.
    latest.refresh(subject.pk for subject in subjects)
    Activity.objects.bulk_create(activities)
    Account.objects.bulk_create(accounts)


def start_workers(count: int, concurrency: int, inbox: Inbox) -> list[subprocess.Popen]:
    from influence.celery import app

    env = dict(os.environ)
    settings_dict = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env["EMAIL_URL"] = inbox.url
    processes = []
    for n in range(count):
        name = f"bench{n}-{RUN}@bench"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "influence", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "-n", name, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if time.monotonic() > deadline:
                raise RuntimeError("a worker did not start")
    return processes


def floor(raw_messages: list[bytes], port: int, inbox: Inbox) -> float:
    """1,000 pre-rendered messages of the same sizes, sent plainly over one SMTP connection."""
    before = len(inbox.raw)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n, raw in enumerate(raw_messages):
            smtp.sendmail("influence@localhost", [f"floor{n}@example.com"], raw)
    inbox.wait_for(before + len(raw_messages), timeout=600)
    return time.perf_counter() - started


def profile_one_batch(inbox: Inbox) -> None:
    import cProfile
    import pstats

    from influence.digests import selection, sending

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    due = selection.due_users(NOW)[: selection.BATCH_SIZE]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(sending.send_batch, due, NOW)
    print(f"one batch of {len(due)} inline: {time.perf_counter() - started:.2f} s")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--profile", action="store_true", help="Profile one batch inline first, then stop.")
    args = parser.parse_args()

    from influence.celery import app
    from influence.core.models import Digest
    from influence.digests.tasks import dispatch_digests

    # The schema straight from the models (as the test suite builds it): migrations are
    # regenerated only at release time.
    build_without_migrations()
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    inbox = Inbox(free_port()).start()
    processes = []
    try:
        started = time.perf_counter()
        build()
        print(f"data: {WORKSPACES * MEMBERS} users, {WORKSPACES * SUBJECTS} subjects, "
              f"{WORKSPACES * SUBJECTS * DAYS} snapshots ({time.perf_counter() - started:.1f} s to build)")
        if args.profile:
            profile_one_batch(inbox)
            return
        processes = start_workers(args.workers, args.concurrency, inbox)
        app.control.purge()
        users = WORKSPACES * MEMBERS

        started = time.perf_counter()
        queued = dispatch_digests(NOW.isoformat())
        inbox.wait_for(users, timeout=1800)
        pipeline = time.perf_counter() - started
        # The last rows are marked sent just after the server took their message.
        deadline = time.monotonic() + 30
        while Digest.objects.filter(status="sent").count() < users and time.monotonic() < deadline:
            time.sleep(0.2)
        sent = Digest.objects.filter(status="sent").count()
        if len(inbox.raw) != users or sent != users:
            raise SystemExit(f"expected {users} emails and sent digests, got {len(inbox.raw)} and {sent}")

        raw = list(inbox.raw)
        transport = floor(raw, inbox.port, inbox)
        size = sum(len(r) for r in raw) / len(raw)
        print(f"workers: {args.workers} x prefork {args.concurrency}; {queued['users']} users in "
              f"{len(queued['tasks'])} tasks; average email {size / 1024:.0f} KiB")
        print(f"dispatch to last email received: {pipeline:.2f} s")
        print(f"floor, 1,000 pre-rendered messages over one connection: {transport:.2f} s")
        print(f"ratio: {pipeline / transport:.2f}x (target <= 5x)")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        inbox.stop()
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
