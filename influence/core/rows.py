"""Rows read with a plain cursor, given the Python values the ORM would give them.

A few queries run on every page are compiled once per process and executed
with a cursor (compiling them cost more than running them); their columns
still need the ORM's database-to-Python conversions (JSON, dates on SQLite ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Field
from django.db.models.expressions import Col

# (position in the row, conversion functions, the column they are for)
Converter = tuple[int, list, Col]


def field_converters(fields: Iterable[Field]) -> list[Converter]:
    """The conversions of the columns of `fields`, selected in that order."""
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((position, functions, column))
    return converters


def convert_row(row: Sequence, converters: list[Converter]) -> Sequence:
    """The row with each converted column replaced by its Python value."""
    if not converters:
        return row
    row = list(row)
    for position, functions, column in converters:
        for convert in functions:
            row[position] = convert(row[position], column, connection)
    return row
