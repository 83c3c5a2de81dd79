import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from influence.core.models import Activity

# Validation depends on today (a date more than a year ahead is refused): tests pin it.
TODAY = dt.date(2026, 6, 30)
HEADER = "kind,title,date,end_date,audience,venue,url,notes"


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def upload(content: bytes | str, name: str = "activities.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def activity_rows(subject) -> list[tuple]:
    """Everything stored about a subject's activities: what 'nothing changed' compares."""
    return list(
        Activity.objects.filter(subject=subject)
        .order_by("pk")
        .values_list("pk", "kind", "title", "date", "end_date", "audience", "venue", "url", "notes", "updated_at")
    )
