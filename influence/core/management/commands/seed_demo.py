import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from influence.core.models import User
from influence.demo import story

DEMO_EMAIL = story.DEMO_EMAIL
DEMO_PASSWORD = story.DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo user, workspace and two years of history (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo data and build it anew.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any user exists.")

    def handle(
        self, *args: Any, force: bool = False, reset: bool = False, if_empty: bool = False, **options: Any
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off; pass --force to seed anyway.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; no demo seeded.")
            return
        started = time.monotonic()
        result = story.seed(reset=reset)
        if result.created:
            subjects = result.workspace.subjects.count()
            self.stdout.write(
                f"Seeded “{result.workspace.name}” with {subjects} subjects in {time.monotonic() - started:.1f} s."
            )
        else:
            self.stdout.write(f"“{result.workspace.name}” already exists; nothing changed (--reset rebuilds it).")
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}"))
