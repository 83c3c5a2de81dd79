"""The day the demo's story is seeded on in the tests (the seeded_demo fixture of tests/conftest.py)."""

import datetime as dt

DEMO_DAY = dt.date(2026, 11, 25)
