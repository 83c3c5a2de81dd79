from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from influence.core.choices import Role
from influence.core.models import Membership, User, Workspace

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-influence"


class Command(BaseCommand):
    help = "Create the demo user, workspace and history (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo data and build it anew.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any user exists.")

    def handle(self, *args, force=False, reset=False, if_empty=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off; pass --force to seed anyway.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; no demo seeded.")
            return
        with transaction.atomic():
            user = User.objects.filter(email=DEMO_EMAIL).first()
            if user is None:
                user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, time_zone="Europe/London")
            workspace = Workspace.objects.filter(memberships__user=user, name="Demo Agency").first()
            if workspace is None:
                workspace = Workspace.objects.create(name="Demo Agency")
                Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}"))
