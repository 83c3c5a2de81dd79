"""PostgreSQL restarted under a collecting worker: the worker reconnects by itself and finishes the work.

The workers keep their database connections between tasks (CONN_MAX_AGE, as in production), so a
restart breaks every connection they hold. A workspace's score history is being rebuilt at the same
moment; it must not be left "running" either.
"""

from __future__ import annotations

import datetime as dt

import pytest

from influence.core.models import Account, Observation, Subject, Workspace
from tests.faults.conftest import sql, value
from tests.faults.test_killed_workers import speed_up_beat
from tests.support.waiting import wait_until

pytestmark = pytest.mark.faults

SUBJECTS = 40
HISTORY_DAYS = 730
API_DELAY = 0.3


def seed(db: str, fake_api) -> Workspace:
    """Subjects with two years of stored numbers each, so that rebuilding their history takes a while."""
    workspace = Workspace.objects.using(db).create(name="Agency")
    subjects = Subject.objects.using(db).bulk_create(
        [Subject(workspace=workspace, name=f"Subject {n}") for n in range(SUBJECTS)]
    )
    accounts = Account.objects.using(db).bulk_create(
        [Account(subject=subject, network="hackernews", handle=f"user{n}") for n, subject in enumerate(subjects)]
    )
    today = dt.datetime.now(dt.UTC).date()
    Observation.objects.using(db).bulk_create(
        [Observation(account=account, metric="karma", day=today - dt.timedelta(days=day), value=1000 + n - day)
         for n, account in enumerate(accounts) for day in range(1, HISTORY_DAYS)],
        batch_size=5000,
    )
    for n in range(SUBJECTS):
        fake_api.route("GET", f"/user/user{n}.json", json={"id": f"user{n}", "karma": 2000 + n})
    fake_api.delay = API_DELAY
    return workspace


def test_a_database_restart_mid_collection_is_survived_and_leaves_nothing_running(services, fake_api):
    db = services.alias
    workspace = seed(db, fake_api)
    env = {"HACKERNEWS_API_URL": fake_api.url, "COLLECT_RATE_LIMITS_ENABLED": "0", "COLLECT_CLAIM_TIMEOUT": "15"}
    worker = services.start_worker("worker", concurrency=2, **env)
    speed_up_beat(db)
    # Beat's first tick dispatches every account; a change of the score parameters asks for a rebuild
    # of the workspace's history, the way the parameters page does.
    services.start_beat(**env)
    services.manage("shell", "-c", (
        "from django.db import transaction\n"
        "from influence.core.models import Workspace\n"
        "from influence.scoring.queue import queue_workspace_recompute\n"
        "with transaction.atomic():\n"
        f"    workspace = Workspace.objects.get(pk={workspace.pk})\n"
        "    workspace.score_parameters = {'bases': {'talk': 7}}\n"
        "    workspace.save()\n"
        "    queue_workspace_recompute(workspace)\n"
    ), **env)

    today = dt.datetime.now(dt.UTC).date()
    collected_today = f"SELECT count(*) FROM core_observation WHERE day = '{today}'"
    wait_until(lambda: value(db, collected_today) >= 4, timeout=60, interval=0.05, what="collections under way")
    services.postgres.restart(down_for=3)

    def finished() -> bool:
        return (
            value(db, collected_today) == SUBJECTS
            and value(db, "SELECT count(*) FROM core_account WHERE queued_at IS NOT NULL") == 0
            and value(db, "SELECT count(*) FROM core_scorerecompute WHERE state IN ('queued', 'running')") == 0
        )

    try:
        wait_until(finished, timeout=60, interval=0.5, what="the collection and the rebuild to finish")
    except AssertionError as exc:
        state = sql(db, f"""SELECT ({collected_today}),
            (SELECT count(*) FROM core_account WHERE queued_at IS NOT NULL),
            (SELECT string_agg(state, ',') FROM core_scorerecompute)""")
        raise AssertionError(f"{exc}: (collected today, still claimed, recomputes) = {state}") from None
    assert worker.popen.poll() is None, "the worker exited"
    assert sql(db, "SELECT state FROM core_scorerecompute") == [("done",)]
    assert "OperationalError" in worker.output(10**7), "the restart went unnoticed: was it a restart?"
