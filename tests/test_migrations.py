from io import StringIO

from django.core.management import call_command


def test_the_migrations_describe_every_model_change(db):
    out = StringIO()
    # --check exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
