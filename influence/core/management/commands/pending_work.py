"""Work recorded and not done yet: pending recomputes, and collections still claimed (or lapsed)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from influence.collection import store
from influence.collection.tasks import requeue_expired_claims
from influence.core.models import Account, PendingWork
from influence.scoring import queue


class Command(BaseCommand):
    help = (
        "Show the follow-up work not done yet: recomputes waiting for the broker or under way, and "
        "collections queued (claimed) or whose claim lapsed. --queue hands the waiting ones to the broker now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--last", type=int, default=20, help="How many pending rows to list (default 20).")
        parser.add_argument(
            "--queue", action="store_true", dest="queue_now",
            help="Queue what is waiting now, as beat does every minute.",
        )

    def handle(self, *args: Any, last: int = 20, queue_now: bool = False, **options: Any) -> None:
        now = timezone.now()
        if queue_now:
            sent = queue.queue_pending(now) + requeue_expired_claims.run(now.isoformat())
            self.stdout.write(f"Queued {sent} pending recompute(s) and collection(s).")
        summary = queue.pending_summary(now)
        self.stdout.write(
            f"Recomputes: {summary['waiting']} waiting for the broker, {summary['queued']} queued, "
            f"{summary['lost']} queued long ago and not done (queued again by the next minute's run)."
        )
        claimed = Account.objects.filter(store.claimed(now)).count()
        lapsed = Account.objects.filter(store.lapsed(now)).count()
        self.stdout.write(f"Collections: {claimed} queued, {lapsed} whose claim lapsed (queued again within a minute).")
        for work in PendingWork.objects.select_related("subject").order_by("pk")[:max(last, 0)]:
            state = f"queued {work.queued_at:%Y-%m-%d %H:%M:%S} UTC" if work.queued_at else "waiting"
            error = f"; last error: {work.last_error}" if work.last_error else ""
            self.stdout.write(
                f"  #{work.pk} {work}, recorded {work.created_at:%Y-%m-%d %H:%M:%S} UTC, {state}, "
                f"{work.attempts} attempt(s){error}"
            )

