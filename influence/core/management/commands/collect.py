"""`manage.py collect`: check one handle (--dry-run), or collect accounts into the database.

    collect --network github --handle octocat --dry-run   # prints {"followers": ...}, stores nothing
    collect --account 12 | --subject 3 | --all [--queue]

Every failure is one line on stderr and exit code 1 (CommandError), never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from influence import collection
from influence.connectors.base import NETWORKS, ConnectorError, get_connector
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


class Command(BaseCommand):
    help = "Collect accounts' numbers, or check one handle with --dry-run (prints JSON, stores nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--account", type=int, metavar="ID", help="Collect one account.")
        mode.add_argument("--subject", type=int, metavar="ID", help="Collect every account of one subject.")
        mode.add_argument("--all", action="store_true", help="Collect every account that is not paused.")
        mode.add_argument(
            "--dry-run", action="store_true", help="Fetch --network/--handle and print the metrics; store nothing."
        )
        parser.add_argument("--queue", action="store_true", help="Queue Celery tasks instead of collecting inline.")
        parser.add_argument("--network", choices=NETWORKS, help="With --dry-run: the network.")
        parser.add_argument("--handle", help="With --dry-run: the handle, as a user would type it.")
        parser.add_argument("--instance", default="", metavar="URL", help="With --dry-run: a Mastodon instance URL.")
        parser.add_argument(
            "--timeout", type=float, metavar="SECONDS", help="With --dry-run: seconds to wait for each answer."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            return self.dry_run(options)
        if options["network"] or options["handle"] or options["instance"] or options["timeout"]:
            raise CommandError("--network, --handle, --instance and --timeout go with --dry-run.")
        if options["account"] is None and options["subject"] is None and not options["all"]:
            raise CommandError("Give --account ID, --subject ID or --all (or --dry-run with --network and --handle).")
        return self.store(options)

    def dry_run(self, options: dict[str, Any]) -> None:
        if options["queue"]:
            raise CommandError("--queue does not go with --dry-run: a dry run stores nothing.")
        if not options["network"] or not options["handle"]:
            raise CommandError("--dry-run needs --network and --handle.")
        try:
            connector = get_connector(options["network"], timeout=options["timeout"])
            metrics = connector.fetch(options["handle"], options["instance"])
        except ConnectorError as exc:
            raise CommandError(_one_line(str(exc))) from None
        self.stdout.write(json.dumps(metrics, sort_keys=True))

    def store(self, options: dict[str, Any]) -> None:
        """Collect into the database through influence.collection (inline) or its tasks (queued)."""
        ids = self.account_ids(options)
        if options["queue"]:
            from influence.collection.tasks import queue_collection

            # Claimed first, so an account the dispatcher already queued is not queued twice.
            queued = sum(1 for account_id in ids if queue_collection(account_id))
            self.stdout.write(f"Queued {queued} collection(s); {len(ids) - queued} already under way.")
            return
        failed = []
        # The same collection the task runs; each subject's score is recomputed once, after its last account.
        for outcome in collection.collect_accounts(ids):
            self.stdout.write(outcome.line)
            if outcome.result in ("failed", "gone"):
                failed.append(outcome)
        if failed:
            raise CommandError(f"{len(failed)} of {len(ids)} collection(s) failed.")

    def account_ids(self, options: dict[str, Any]) -> list[int]:
        if options["account"] is not None:
            return [options["account"]]
        accounts = Account.objects.exclude(status=AccountStatus.PAUSED).exclude(network=Network.MANUAL)
        if options["subject"] is not None:
            accounts = accounts.filter(subject_id=options["subject"])
        return list(accounts.order_by("pk").values_list("pk", flat=True))
