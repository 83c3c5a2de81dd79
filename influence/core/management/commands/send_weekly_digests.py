import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from influence.core.models import Digest, User
from influence.digests import selection
from influence.digests.content import DigestData
from influence.digests.tasks import queue_batches, send_digests_batch


class Command(BaseCommand):
    help = "Send the weekly email to the users due now (never a second one for the same week)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true",
            help="Take every user with the summary on and no email yet this week, whatever the day and hour.",
        )
        parser.add_argument("--user", metavar="EMAIL", help="Only this user.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get an email; send and claim nothing."
        )
        parser.add_argument("--queue", action="store_true", help="Hand the work to the Celery workers.")

    def handle(
        self, *args: Any, now: bool = False, user: str | None = None, dry_run: bool = False, queue: bool = False,
        **options: Any,
    ) -> None:
        moment = timezone.now()
        user_ids = None
        target: User | None = None
        if user:
            target = User.objects.filter(email__iexact=user.strip()).first()
            if target is None:
                raise CommandError(f"No user with the email {user}.")
            if not self._reportable(target, moment):
                return
            user_ids = [target.pk]
        due = selection.due_users(moment, ignore_schedule=now, user_ids=user_ids)
        if not due:
            upcoming = selection.next_send(target, moment) if target is not None else None
            if target is not None and upcoming is not None:
                when, _ = upcoming
                self.stdout.write(
                    f"{target.email} is not due yet: next email {when:%A %d %b %Y %H:%M} ({target.time_zone}); "
                    "--now sends it now."
                )
            else:
                self.stdout.write("Nobody is due a weekly email now.")
            return
        if dry_run:
            self._print(due, moment)
            return
        if queue:
            tasks = queue_batches(due, moment)
            self.stdout.write(f"Queued {len(due)} user(s) in {len(tasks)} task(s).")
            return
        totals = {"sent": 0, "refused": 0, "skipped": 0}
        for batch in selection.batches(due):
            # The task's own code, run here rather than by a worker.
            result = send_digests_batch(
                [i.user_id for i in batch], [i.week_start.isoformat() for i in batch], moment.isoformat()
            )
            for key in totals:
                totals[key] += result[key]
        self.stdout.write(
            f"Sent {totals['sent']}; refused by the mail server and queued for retry {totals['refused']}; "
            f"skipped {totals['skipped']} (already claimed or no subject)."
        )

    def _reportable(self, user: User, moment: dt.datetime) -> bool:
        """Say why a named user gets nothing, when that is already known."""
        if not user.digest_enabled:
            self.stdout.write(f"{user.email} has the weekly summary turned off; nothing sent.")
            return False
        week = selection.local_week_start(moment, selection.zone(user.time_zone))
        if Digest.objects.filter(user=user, week_start__gte=week).exists():
            self.stdout.write(f"{user.email} already has the email of the week of {week:%d %b %Y}; nothing sent.")
            return False
        if not DigestData([user], moment).covered_count(user.pk):
            self.stdout.write(f"{user.email} sees no subject; nothing to send.")
            return False
        return True

    def _print(self, due: list[selection.Due], moment: dt.datetime) -> None:
        users = {u.pk: u for u in User.objects.filter(pk__in=[d.user_id for d in due])}
        for batch in selection.batches(due):
            data = DigestData([users[d.user_id] for d in batch], moment)
            for item in batch:
                names = ", ".join(s.name for s in data.full_subjects_of(item.user_id))
                rest = data.covered_count(item.user_id) - len(data.full_subjects_of(item.user_id))
                names += f" and {rest:,} more" if rest > 0 else ""
                self.stdout.write(f"{users[item.user_id].email} (week of {item.week_start:%d %b %Y}): {names}")
        self.stdout.write(f"Dry run: {len(due)} email(s) would be sent; nothing sent or claimed.")
