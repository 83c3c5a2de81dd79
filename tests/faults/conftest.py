"""The fault tests' services: a PostgreSQL cluster and a Redis server of each test's own (tests/support/services.py).

The test process reaches the private database through the ORM as a second alias (`db`), opened for
the test's duration; the product's processes (workers, beat, gunicorn) get it as their DATABASE_URL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.support.services import Services, migrated_template, use_database

pytestmark = pytest.mark.faults


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[Path]:
    """A migrated cluster's data directory that each test's cluster starts as a copy of."""
    owner, data = migrated_template()
    with owner:
        yield data


@pytest.fixture
def services(request, django_db_blocker, postgres_template) -> Iterator[Services]:
    """Private PostgreSQL (migrated) and Redis, removed at the end whatever happens; logs shown on failure."""
    with Services() as private:
        private.start_postgres(template=postgres_template)
        private.start_redis()
        alias = use_database(private.postgres.url, f"faults_{uuid.uuid4().hex[:6]}")
        private.alias = alias
        try:
            with django_db_blocker.unblock():
                yield private
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
            report = getattr(request.node, "report_call", None)
            if report is None or report.failed:
                print(private.logs_text())


def sql(alias: str, statement: str, params: tuple = ()) -> list[tuple]:
    """Run one statement on the private database on a fresh connection (it may have been restarted)."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def value(alias: str, statement: str, params: tuple = ()) -> object:
    return sql(alias, statement, params)[0][0]
