"""The embedded mode `make run` uses: SQLite under INFLUENCE_VAR_DIR, no PostgreSQL, no Redis.

Each step is the management command a user runs, in a process of its own with DEBUG=1 and no
DATABASE_URL; what it stored is read back from the SQLite file itself.
"""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.collection.conftest import github_user
from tests.conftest import ROOT

# Variables that would take the process away from the embedded database, cache and broker.
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")


@pytest.fixture
def embedded(tmp_path, fake_api):
    """Run `manage.py <args>` in embedded mode; returns its stdout. GitHub is the fake API."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICES}
    env.update(DEBUG="1", INFLUENCE_VAR_DIR=str(tmp_path), GITHUB_API_URL=fake_api.url, LOG_LEVEL="WARNING")

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    manage.database = tmp_path / "influence.sqlite3"
    return manage


def read(database, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchall()


def test_migrate_seed_recompute_and_collect_on_sqlite(embedded, fake_api):
    embedded("migrate", "--noinput")
    assert "Demo login: demo@example.com / demo-influence" in embedded("seed_demo")
    db = embedded.database
    assert read(db, "SELECT email FROM core_user") == [("demo@example.com",)]
    [(subject_id,)] = read(db, "SELECT id FROM core_subject WHERE name = ?", "Dr. Sam Okafor")
    [(observations,)] = read(
        db, "SELECT count(*) FROM core_observation o JOIN core_account a ON a.id = o.account_id "
            "WHERE a.subject_id = ?", subject_id,
    )
    assert observations > 1000  # two years of daily values, written by the SQLite branch of the seeding

    out = embedded("recompute_scores", "--subject", str(subject_id))
    [(days,)] = read(db, "SELECT count(*) FROM core_scoresnapshot WHERE subject_id = ?", subject_id)
    assert f"Recomputed {days} day(s) of 1 subject(s)." in out
    assert days > 700
    [(low, high)] = read(db, "SELECT min(total), max(total) FROM core_scoresnapshot WHERE subject_id = ?", subject_id)
    assert 0 < low <= high <= 100

    github_user(fake_api, "samokafor", followers=4321, public_repos=50, stars=(100, 23))
    assert json.loads(embedded("collect", "--dry-run", "--network", "github", "--handle", "samokafor")) == {
        "followers": 4321, "public_repos": 50, "stars": 123,
    }
    [(account_id,)] = read(db, "SELECT id FROM core_account WHERE handle = ?", "samokafor")
    embedded("collect", "--account", str(account_id))
    # The day is the one the command's process dated the values with, read back rather than assumed.
    stored = read(
        db, "SELECT metric, value FROM core_observation WHERE account_id = ? "
            "AND day = (SELECT max(day) FROM core_observation WHERE account_id = ?) ORDER BY metric",
        account_id, account_id,
    )
    assert stored == [("followers", 4321), ("public_repos", 50), ("stars", 123)]
    [(status, failures)] = read(db, "SELECT status, consecutive_failures FROM core_account WHERE id = ?", account_id)
    assert (status, failures) == ("ok", 0)
