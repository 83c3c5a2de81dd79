"""Re-encrypt every stored API credential with the newest of FIELD_ENCRYPTION_KEYS."""

from typing import Any

from django.core.management.base import BaseCommand

from influence.workspaces.credentials import rotate_credentials


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored credential with the first (newest) key of FIELD_ENCRYPTION_KEYS; "
        "afterwards the older keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = rotate_credentials()
        self.stdout.write(f"Re-encrypted {outcome.rotated} credential(s) with the newest key.")
        if outcome.unreadable:
            # Exit status stays 0: the readable ones were rotated, and these were already lost.
            self.stderr.write(
                f"{len(outcome.unreadable)} credential(s) could not be opened with any key and were left as "
                "they are; their workspace's owner has to enter them again:"
            )
            for credential in outcome.unreadable:
                self.stderr.write(f"  workspace {credential.workspace_id} ({credential.workspace.name}): "
                                  f"{credential.get_name_display()}")
