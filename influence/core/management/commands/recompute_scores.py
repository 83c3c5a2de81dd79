"""Rebuild score history inline with a progress bar, or queue it for the workers."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from influence.core.models import Subject
from influence.scoring import snapshots
from influence.scoring.tasks import recompute_subject

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Recompute the daily score snapshots of one subject or of all, from a day (default: the first input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subject", type=int, help="Only this subject (its id).")
        parser.add_argument("--since", help="First day to rebuild, YYYY-MM-DD (default: the subject's first input).")
        parser.add_argument("--queue", action="store_true", help="Queue one task per subject, not inline.")

    def handle(
        self, *args: Any, subject: int | None = None, since: str | None = None, queue: bool = False, **options: Any
    ) -> None:
        since_day = _parse_day(since) if since else None
        subjects = Subject.objects.order_by("pk")
        if subject is not None:
            subjects = subjects.filter(pk=subject)
            if not subjects.exists():
                raise CommandError(f"No subject with id {subject}.")
        if queue:
            count = 0
            for subject_id in subjects.values_list("pk", flat=True):
                recompute_subject.delay(subject_id, since_day.isoformat() if since_day else None)
                count += 1
            self.stdout.write(f"Queued the recompute of {count} subject(s).")
            return
        total = 0
        for item in subjects:
            total += snapshots.recompute_history(item.pk, since=since_day, progress=self._bar(item.name))
            if self.stderr.isatty():
                self.stderr.write("")  # ends the bar's line
        self.stdout.write(self.style.SUCCESS(f"Recomputed {total} day(s) of {subjects.count()} subject(s)."))

    def _bar(self, name: str) -> Callable[[int, int], None]:
        interactive = self.stderr.isatty()

        def show(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            line = f"{name[:24]:<24} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} days"
            # On a terminal the bar redraws in place; in a log, each report is a line.
            self.stderr.write(("\r" if interactive else "") + line, ending="" if interactive else "\n")

        return show


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since must be a date in the form YYYY-MM-DD, not “{value}”.") from None
