"""Workers killed with kill -9 in the middle of a collection lose nothing and collect nothing twice.

200 accounts are collected from a slow local API by prefork workers. Each write of an observation is
counted by a trigger of the private database, so "collected exactly once" is a count of stores, not
of rows (a second store the same day would update the row, not add one).
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from influence.core.models import Account, Subject, Workspace
from tests.faults.conftest import sql, value
from tests.support.waiting import wait_until

pytestmark = pytest.mark.faults

ACCOUNTS = 200
PER_SUBJECT = 10
# Seconds the fake API takes to answer: about 5 s of waiting for four pool processes.
API_DELAY = 0.1
CONCURRENCY = 4
# Short, so that the claims of a worker killed outright come back within the test, yet longer than
# the whole run takes, so that no claim of a live task is queued twice.
CLAIM_TIMEOUT = 20

COUNT_WRITES = """
CREATE TABLE fault_writes (account_id bigint NOT NULL, metric text NOT NULL, at timestamptz DEFAULT now());
CREATE FUNCTION fault_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO fault_writes (account_id, metric) VALUES (NEW.account_id, NEW.metric); RETURN NEW; END $$;
CREATE TRIGGER fault_count_write AFTER INSERT OR UPDATE ON core_observation
FOR EACH ROW EXECUTE FUNCTION fault_count_write();
"""


def seed(db: str, fake_api) -> None:
    workspace = Workspace.objects.using(db).create(name="Faults")
    subjects = Subject.objects.using(db).bulk_create(
        [Subject(workspace=workspace, name=f"Subject {n}") for n in range(ACCOUNTS // PER_SUBJECT)]
    )
    Account.objects.using(db).bulk_create(
        [Account(subject=subjects[n // PER_SUBJECT], network="hackernews", handle=f"user{n}") for n in range(ACCOUNTS)]
    )
    for n in range(ACCOUNTS):
        fake_api.route("GET", f"/user/user{n}.json", json={"id": f"user{n}", "karma": 1000 + n})
    fake_api.delay = API_DELAY
    sql(db, COUNT_WRITES)


def progress(db: str) -> dict[str, int]:
    """Accounts stored once, twice or more, not at all; still claimed ("collecting…")."""
    [(once, twice, stored)] = sql(db, """
        SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1), count(*)
        FROM (SELECT account_id, count(*) AS n FROM fault_writes GROUP BY account_id) AS w""")
    claimed = value(db, "SELECT count(*) FROM core_account WHERE queued_at IS NOT NULL")
    return {"once": once, "twice_or_more": twice, "missing": ACCOUNTS - stored, "claimed": claimed}


def settled(db: str) -> bool:
    state = progress(db)
    return state["missing"] == 0 and state["claimed"] == 0


def unchanged_for(seconds: float, read):
    """A condition for wait_until: true once `read()` has returned the same value for `seconds`."""
    last = {"value": read(), "since": time.monotonic()}

    def condition() -> bool:
        current = read()
        if current != last["value"]:
            last.update(value=current, since=time.monotonic())
        return time.monotonic() - last["since"] >= seconds

    return condition


def dispatch(services) -> None:
    """What beat does every hour: claim the due accounts and queue one collection each."""
    with services.celery() as app:
        app.send_task("influence.tasks.collection.dispatch_due_accounts")


def speed_up_beat(db: str, seconds: int = 2) -> None:
    """Beat's collection entries (the dispatcher, the re-queue of expired claims) and the queuing of
    pending work every `seconds` instead of every minute or hour; the other entries off.

    Queryset updates: django-celery-beat's save signals would write to the suite's own database."""
    from django.db.models import Q
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    [every] = IntervalSchedule.objects.using(db).bulk_create([IntervalSchedule(every=seconds, period="seconds")])
    fast = Q(task__startswith="influence.tasks.collection.") | Q(task__contains="pending")
    entries = PeriodicTask.objects.using(db)
    assert entries.filter(fast).update(interval=every, crontab=None, enabled=True)
    entries.exclude(fast).update(enabled=False)


def test_pool_processes_and_then_a_whole_worker_killed_mid_collection_collect_every_account_once(
    services, fake_api
):
    db = services.alias
    started = time.monotonic()

    def mark(what: str) -> None:
        print(f"{time.monotonic() - started:6.1f} s  {what}: {progress(db)}")

    seed(db, fake_api)
    env = {"HACKERNEWS_API_URL": fake_api.url, "COLLECT_RATE_LIMITS_ENABLED": "0",
           "COLLECT_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT)}

    # 1. kill -9 the pool processes (not the main one) while they wait on the API.
    first = services.start_worker("first", concurrency=CONCURRENCY, **env)
    dispatch(services)
    wait_until(lambda: progress(db)["once"] >= ACCOUNTS // 4, timeout=60, what="a quarter collected")
    mark("a quarter collected")
    pool = first.children()
    assert len(pool) == CONCURRENCY
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    # Their tasks come back (acknowledged late, rejected when the process running them is lost).
    try:
        wait_until(lambda: settled(db), timeout=60, interval=0.5, what="every account collected, none claimed")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {progress(db)} after the pool processes {pool} were killed") from None
    mark("all collected after the pool processes were killed")
    assert progress(db) == {"once": ACCOUNTS, "twice_or_more": 0, "missing": 0, "claimed": 0}
    assert value(db, "SELECT count(*) FROM core_observation") == ACCOUNTS
    assert value(db, "SELECT count(*) FROM core_account WHERE status = 'ok' AND last_collected_at IS NOT NULL") \
        == ACCOUNTS

    # 2. The same again, due again; this time the whole worker dies (main process included) and a new
    # one starts. What the dead worker held (its running and prefetched tasks, unacknowledged in Redis
    # for the visibility timeout's two hours) comes back once the claims lapse: beat's every-minute
    # re-queue, here every 2 s, started once the new worker has drained the queue, so that the test
    # never races a claim that lapses while its task runs.
    sql(db, "TRUNCATE fault_writes")
    sql(db, "UPDATE core_account SET last_attempt_at = NULL")
    dispatch(services)
    wait_until(lambda: progress(db)["once"] >= ACCOUNTS // 4, timeout=60, what="a quarter collected again")
    mark("a quarter collected again")
    first.kill()
    services.start_worker("second", concurrency=CONCURRENCY, **env)
    mark("a new worker started")
    wait_until(unchanged_for(3, lambda: progress(db)), timeout=60, what="the new worker to drain the queue")
    lost = progress(db)
    mark("the queue drained")
    assert 0 < lost["claimed"] == lost["missing"] <= 2 * CONCURRENCY, lost
    speed_up_beat(db)
    services.start_beat(**env)
    try:
        wait_until(lambda: settled(db), timeout=CLAIM_TIMEOUT + 40, interval=0.5,
                   what="every account collected again, none claimed")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {progress(db)} after the whole worker was killed") from None
    mark("all collected after the whole worker was killed")
    assert progress(db) == {"once": ACCOUNTS, "twice_or_more": 0, "missing": 0, "claimed": 0}
