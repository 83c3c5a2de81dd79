"""The statements every collection runs, written out.

A scheduled run makes one collection per account, thousands an hour, and the
ORM's query building costs about three times the statement itself (measured
by bench/collection.py: ~2 ms of CPU an account out of ~6). Plain SQL that
PostgreSQL and SQLite (3.24+) both read; everything else stays in the ORM.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from influence.collection.metrics import Row
from influence.core.choices import AccountStatus
from influence.core.models import Account, Credential, Observation, Subject

_ACCOUNT = Account._meta.db_table
_SUBJECT = Subject._meta.db_table
_CREDENTIAL = Credential._meta.db_table
_OBSERVATION = Observation._meta.db_table
# Rows per INSERT: the two-year Wikipedia history is ~1,460 rows.
BATCH_SIZE = 500


def _when(value: dt.datetime | None):
    return connection.ops.adapt_datetimefield_value(value)


_FIELDS = [f.attname for f in Account._meta.concrete_fields]
_LOAD = (
    f"SELECT {', '.join(f'a.{f.column}' for f in Account._meta.concrete_fields)}, s.workspace_id, "
    f"EXISTS (SELECT 1 FROM {_CREDENTIAL} c WHERE c.workspace_id = s.workspace_id) "
    f"FROM {_ACCOUNT} a JOIN {_SUBJECT} s ON s.id = a.subject_id WHERE a.id = %s"
)


def load_account(account_id: int) -> Account | None:
    """The account, its workspace id and whether that workspace has credentials of its own.

    On PostgreSQL the row is read by a cursor and the model built from it
    directly: a raw queryset maps the columns to fields anew for every query,
    a fifth of the collection's own CPU. Its columns need no conversion there.
    """
    if connection.vendor != "postgresql":
        rows = Account.objects.raw(
            f"SELECT a.*, s.workspace_id AS workspace_id, "
            f"EXISTS (SELECT 1 FROM {_CREDENTIAL} c WHERE c.workspace_id = s.workspace_id) AS has_credentials "
            f"FROM {_ACCOUNT} a JOIN {_SUBJECT} s ON s.id = a.subject_id WHERE a.id = %s",
            [account_id],
        )
        return next(iter(rows), None)
    with connection.cursor() as cursor:
        cursor.execute(_LOAD, [account_id])
        row = cursor.fetchone()
    if row is None:
        return None
    account = Account.from_db(connection.alias, _FIELDS, row[:-2])
    account.workspace_id, account.has_credentials = row[-2], row[-1]
    return account


def _upsert_sql(account_id: int, rows: list[Row], now: dt.datetime) -> tuple[str, list]:
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params: list = []
    for metric, day, value in rows:
        params += [account_id, metric, connection.ops.adapt_datefield_value(day), value, _when(now)]
    return (
        f"INSERT INTO {_OBSERVATION} (account_id, metric, day, value, collected_at) VALUES {values} "
        f"ON CONFLICT (account_id, metric, day) "
        f"DO UPDATE SET value = excluded.value, collected_at = excluded.collected_at",
        params,
    )


def upsert_observations(account_id: int, rows: list[Row], now: dt.datetime) -> int:
    """Insert or update (account, metric, day) rows: a second collection the same day adds none."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.execute(*_upsert_sql(account_id, rows[start:start + BATCH_SIZE], now))
    return len(rows)


def _mark_sql(account_id: int, now: dt.datetime, backfilled: bool) -> tuple[str, list]:
    return (
        f"UPDATE {_ACCOUNT} SET "
        f"status = CASE WHEN status = %s THEN %s ELSE %s END, "
        f"last_attempt_at = COALESCE(queued_at, %s), last_collected_at = %s, last_error = '', "
        f"consecutive_failures = 0, queued_at = NULL"
        + (", backfilled_at = %s" if backfilled else "")
        + " WHERE id = %s",
        [AccountStatus.PAUSED.value, AccountStatus.PAUSED.value, AccountStatus.OK.value, _when(now), _when(now)]
        + ([_when(now)] if backfilled else [])
        + [account_id],
    )


def mark_collected(account_id: int, now: dt.datetime, backfilled: bool) -> None:
    """The account's state after a success; a pause made meanwhile stays (the SET reads the row as it was)."""
    with connection.cursor() as cursor:
        cursor.execute(*_mark_sql(account_id, now, backfilled))


def store_in_one_statement(rows: list[Row]) -> bool:
    """Whether `store_collected` can write these rows (PostgreSQL, one INSERT's worth)."""
    return connection.vendor == "postgresql" and 0 < len(rows) <= BATCH_SIZE


def store_collected(account_id: int, rows: list[Row], now: dt.datetime, backfilled: bool) -> None:
    """upsert_observations and mark_collected as one statement, atomic by itself.

    The usual answer (a few metrics) then costs one round trip instead of four
    (BEGIN, INSERT, UPDATE, COMMIT).
    """
    upsert, upsert_params = _upsert_sql(account_id, rows, now)
    mark, mark_params = _mark_sql(account_id, now, backfilled)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH upserted AS ({upsert}) {mark}", upsert_params + mark_params)


def subject_pending(subject_id: int, since: dt.datetime) -> bool:
    """Whether an account of the subject is still queued (claimed after `since`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_ACCOUNT} WHERE subject_id = %s AND queued_at >= %s LIMIT 1", [subject_id, _when(since)]
        )
        return cursor.fetchone() is not None
