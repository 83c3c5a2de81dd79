"""Redis, the broker and the cache, stopped for 20 s while people keep working through the web.

A real gunicorn, a prefork worker and beat run on the test's private PostgreSQL and Redis. While Redis
is down a client adds activities and accounts: no answer may be a 5xx and every change must be saved.
Once Redis is back, every recompute recorded meanwhile runs: the snapshots then equal what a full
rebuild (`manage.py recompute_scores`) writes.
"""

from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest

from influence.core.choices import Role
from influence.core.models import Account, Activity, Membership, Subject, User, Workspace
from tests.faults.conftest import sql, value
from tests.faults.test_killed_workers import speed_up_beat
from tests.support.waiting import wait_until

pytestmark = pytest.mark.faults

OUTAGE = 20.0
PASSWORD = "a long enough password 42"


def seed(db: str) -> Subject:
    workspace = Workspace.objects.using(db).create(name="Agency")
    user = User.objects.db_manager(db).create_user("owner@example.com", PASSWORD)
    Membership.objects.using(db).create(workspace=workspace, user=user, role=Role.OWNER)
    return Subject.objects.using(db).create(workspace=workspace, name="Client")


def log_in(client: httpx.Client) -> None:
    client.get("/auth/login/")
    response = client.post("/auth/login/", data={"login": "owner@example.com", "password": PASSWORD},
                           headers={"X-CSRFToken": client.cookies["csrftoken"]})
    assert response.status_code == 302, response.text[:500]


def post(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    return client.post(path, data=data, headers={"X-CSRFToken": client.cookies["csrftoken"]})


def snapshots(db: str) -> list[tuple]:
    return sql(db, "SELECT subject_id, day, round(total::numeric, 9) FROM core_scoresnapshot ORDER BY 1, 2")


def test_a_redis_outage_answers_no_5xx_saves_every_change_and_runs_every_recompute_once_back(services, fake_api):
    db = services.alias
    subject = seed(db)
    for n in range(200):
        fake_api.route("GET", f"/user/user{n}.json", json={"id": f"user{n}", "karma": 500 + n})
    env = {"HACKERNEWS_API_URL": fake_api.url, "COLLECT_CLAIM_TIMEOUT": "30"}
    speed_up_beat(db)
    worker = services.start_worker("worker", concurrency=2, **env)
    beat = services.start_beat(**env)
    # The web process with DEBUG on only for its static files (no collectstatic manifest here).
    _, base = services.start_web(DEBUG="1", **env)

    answers: list[tuple[str, int]] = []
    today = dt.datetime.now(dt.UTC).date()
    activities = accounts = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        log_in(client)
        assert client.get(f"/subjects/{subject.pk}/").status_code == 200

        services.redis.stop()
        stopped = time.monotonic()
        n = 0
        while time.monotonic() - stopped < OUTAGE:
            n += 1
            response = post(client, f"/subjects/{subject.pk}/activities/new/", {
                "kind": "talk", "title": f"Talk {n}", "date": (today - dt.timedelta(days=3 * n)).isoformat(),
                "audience": str(10 * n), "venue": f"Venue {n}",
            })
            answers.append(("activity", response.status_code))
            activities += response.status_code == 302
            response = post(client, f"/subjects/{subject.pk}/accounts/new/",
                            {"network": "hackernews", "handle": f"user{n}", "collect_interval_hours": "24"})
            answers.append(("account", response.status_code))
            accounts += response.status_code == 302
            answers.append(("page", client.get(f"/subjects/{subject.pk}/").status_code))
        services.redis.start()
    supervised = [worker, beat]

    def supervise() -> None:
        """A worker that loses Redis with a task unacknowledged may exit (kombu restoring it on a closed
        connection); production's supervisor starts it again (compose: restart: unless-stopped), and
        so does the test, saying so."""
        for position, process in enumerate(supervised):
            if again := services.restart_if_exited(process):
                lines = process.output(10**7).splitlines()
                print(f"{process.name} exited and was started again: {[x for x in lines if 'CRITICAL' in x][-2:]}")
                supervised[position] = again

    supervise()
    # The changes went through at the pace of a working site, not one per broker timeout.
    print(f"{n} activities and {n} accounts added in the {OUTAGE:g} s of the outage")
    assert n >= 5, f"only {n} rounds of requests in {OUTAGE:g} s: {answers}"

    errors = [(what, status) for what, status in answers if status >= 500]
    assert not errors, f"{len(errors)} of {len(answers)} answers were 5xx during the outage: {errors[:5]}"
    assert activities == n and accounts == n, answers
    assert Activity.objects.using(db).filter(subject=subject).count() == n
    assert Account.objects.using(db).filter(subject=subject).count() == n

    def caught_up() -> bool:
        supervise()
        pending = value(db, "SELECT count(*) FROM core_pendingwork")
        claimed = value(db, "SELECT count(*) FROM core_account WHERE queued_at IS NOT NULL")
        uncollected = value(db, "SELECT count(*) FROM core_account WHERE last_collected_at IS NULL")
        return pending == claimed == uncollected == 0

    wait_until(caught_up, timeout=60, interval=0.5, what="every pending recompute and collection done")
    # Every account's numbers are stored, and the snapshots are those a full rebuild writes.
    assert value(db, "SELECT count(DISTINCT account_id) FROM core_observation") == n
    written = snapshots(db)
    assert written, "no snapshot at all"
    services.manage("recompute_scores", **env)
    assert snapshots(db) == written
