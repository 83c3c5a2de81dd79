"""CSV cells a spreadsheet will not run: the one escape every CSV the product writes goes through.

Spreadsheets run a cell that starts with = + - @ (or a tab or a carriage return)
as a formula, so such a text value is written with one leading apostrophe. The
apostrophe is added also when the value already starts with apostrophes before
one of those characters, and the import takes exactly one off again: export
then import gives back the exact value typed. Numbers, dates and empty cells
are written as they are (a negative number is a number, not a formula).
"""

from __future__ import annotations

import re
from typing import Any

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def escape_formula(value: str) -> str:
    """The text with one leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def unescape_formula(value: str) -> str:
    """The text `escape_formula` was given: one apostrophe off a value it escaped."""
    return value[1:] if _ESCAPED_FORMULA.match(value) else value


def csv_cell(value: Any) -> Any:
    """A value for csv.writer: text escaped, anything else unchanged."""
    return escape_formula(value) if isinstance(value, str) else value
