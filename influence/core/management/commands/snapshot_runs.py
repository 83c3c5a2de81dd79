"""The latest daily snapshot runs: how far each got, how long it took, and its chunks still to finish."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from influence.core.models import SnapshotChunk
from influence.scoring import daily


class Command(BaseCommand):
    help = "Show the latest daily snapshot runs: chunks and subjects done, duration, and unfinished chunks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--last", type=int, default=7, help="How many runs to show (default 7).")

    def handle(self, *args: Any, last: int = 7, **options: Any) -> None:
        runs = daily.latest_runs(last)
        if not runs:
            self.stdout.write("No snapshot run yet.")
            return
        for run in runs:
            line = (
                f"{run.day}  started {run.started_at:%Y-%m-%d %H:%M:%S} UTC  "
                f"chunks {run.chunks_done}/{run.chunks_total}  subjects {run.subjects_scored}/{run.subjects_total}"
            )
            if run.finished_at is not None:
                seconds = (run.finished_at - run.started_at).total_seconds()
                rate = f", {run.subjects_scored / seconds:,.0f} subjects/s" if seconds > 0 else ""
                line += f"  finished in {seconds:,.1f} s{rate}"
            else:
                line += "  not finished"
            self.stdout.write(line)
            if run.finished_at is None:
                for chunk in SnapshotChunk.objects.filter(run=run, finished_at__isnull=True).order_by("number"):
                    error = f": {chunk.error}" if chunk.error else ""
                    self.stdout.write(f"    chunk {chunk.number} ({len(chunk.subject_ids)} subjects), "
                                      f"{chunk.attempts} attempt(s){error}")
