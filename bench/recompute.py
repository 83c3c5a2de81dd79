"""How much slower than its own I/O is a full-history recompute?

A subject with 5 years of daily observations on 10 accounts (4 metrics each)
and 200 activities, on PostgreSQL. The floor is the same I/O done plainly:
read those observation and activity rows with one SQL query, and insert as
many snapshot rows (each with a breakdown of the size a real one has) in
one bulk statement. Prints both times and their ratio; the target is 3x.

    .venv/bin/python bench/recompute.py

DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/influence_bench)
names the server; a test database beside it is created and dropped.
"""

import datetime as dt
import json
import random
import time

from _setup import build_without_migrations, start

start("influence_bench")

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402

YEARS = 5
ACCOUNTS = [
    ("mastodon", ["followers", "following", "posts", "engagements_30d"]),
    ("mastodon", ["followers", "following", "posts", "engagements_30d"]),
    ("bluesky", ["followers", "following", "posts", "engagements_30d"]),
    ("bluesky", ["followers", "following", "posts", "engagements_30d"]),
    ("github", ["followers", "stars", "public_repos", "following"]),
    ("github", ["followers", "stars", "public_repos", "following"]),
    ("youtube", ["subscribers", "views", "videos", "posts"]),
    ("stackexchange", ["reputation", "badges_gold", "badges_silver", "badges_bronze"]),
    ("openalex", ["citations", "works", "h_index", "posts"]),
    ("reddit", ["karma", "posts", "followers", "following"]),
]
ACTIVITIES = 200
RUNS = 7

FLOOR_READ = """
    SELECT o.account_id, a.network, a.handle, a.label, o.metric, o.day, o.value, NULL, NULL
      FROM core_observation o JOIN core_account a ON a.id = o.account_id
     WHERE a.subject_id = %(subject)s AND o.day <= %(until)s
    UNION ALL
    SELECT id, kind, title, '', '', date, audience, end_date, NULL
      FROM core_activity WHERE subject_id = %(subject)s AND date <= %(until)s
"""


def build(today: dt.date) -> int:
    from influence.core.choices import ActivityKind
    from influence.core.models import Account, Activity, Observation, Subject, Workspace

    rng = random.Random(5)
    workspace = Workspace.objects.create(name="Bench")
    subject = Subject.objects.create(workspace=workspace, name="Bench subject")
    days = [today - dt.timedelta(days=n) for n in range(365 * YEARS + 1)][::-1]
    rows = []
    for index, (network, metrics) in enumerate(ACCOUNTS):
        account = Account.objects.create(subject=subject, network=network, handle=f"h{index}")
        for metric in metrics:
            value = rng.randint(10, 5000)
            for day in days:
                value = max(0, value + rng.randint(-3, 12))
                rows.append(Observation(account=account, metric=metric, day=day, value=value))
    Observation.objects.bulk_create(rows, batch_size=5000)
    kinds = [k.value for k in ActivityKind]
    Activity.objects.bulk_create(
        Activity(
            subject=subject, kind=rng.choice(kinds), title=f"Activity {n}",
            date=rng.choice(days), audience=rng.choice([0, 50, 300, 2000]),
            end_date=None,
        )
        for n in range(ACTIVITIES)
    )
    for activity in Activity.objects.filter(subject=subject, kind__in=["teaching", "board", "mentoring"])[::2]:
        activity.end_date = activity.date + dt.timedelta(days=rng.randint(30, 400))
        activity.save()
    return subject.pk


def clear_snapshots(subject_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_scoresnapshot WHERE subject_id = %s", [subject_id])


def floor(subject_id: int, today: dt.date, breakdown: str, version: str) -> tuple[float, int]:
    clear_snapshots(subject_id)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_READ, {"subject": subject_id, "until": today})
        rows = cursor.fetchall()
        first = min(row[5] for row in rows)
        count = (today - first).days + 1
        now = timezone.now()
        values = [
            (subject_id, first + dt.timedelta(days=n), 50.0, 30.0, 20.0, 40.0, 30.0, breakdown, version, now)
            for n in range(count)
        ]
        execute_values(
            cursor,
            "INSERT INTO core_scoresnapshot (subject_id, day, total, online, offline, online_points,"
            " offline_points, breakdown, model_version, computed_at) VALUES %s",
            values,
            page_size=len(values),
        )
    return time.perf_counter() - started, len(rows)


def recompute(subject_id: int, today: dt.date) -> tuple[float, int]:
    from influence.scoring import snapshots

    clear_snapshots(subject_id)
    started = time.perf_counter()
    written = snapshots.recompute_history(subject_id, until=today)
    return time.perf_counter() - started, written


def main() -> None:
    from influence.core.models import ScoreSnapshot

    build_without_migrations()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        today = dt.date(2026, 6, 30)
        subject_id = build(today)
        recompute(subject_id, today)  # warm up; and a real breakdown to size the floor's rows
        sample = ScoreSnapshot.objects.filter(subject_id=subject_id).order_by("-day").first()
        breakdown, version = json.dumps(sample.breakdown), sample.model_version
        # Interleaved, best of RUNS each: both see the same machine load.
        floors, computes = [], []
        for _ in range(RUNS):
            seconds, rows = floor(subject_id, today, breakdown, version)
            floors.append(seconds)
            seconds, written = recompute(subject_id, today)
            computes.append(seconds)
        best_floor, best_compute = min(floors), min(computes)
        print(f"inputs: {rows} rows (observations + activities); snapshots: {written} days")
        print(f"floor (one read, one bulk insert): {best_floor:.3f} s")
        print(f"full-history recompute:            {best_compute:.3f} s")
        print(f"ratio: {best_compute / best_floor:.2f}x (target <= 3x)")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
