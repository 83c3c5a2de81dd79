import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def verify_existing_addresses(apps, schema_editor):
    """Accounts made before addresses were confirmed keep working: each user's email becomes
    their verified, primary address."""
    User = apps.get_model("core", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True)
            for user_id, email in User.objects.exclude(email="").values_list("pk", "email").iterator()
            if user_id not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_snapshotrun"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="claimed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="workspace",
            name="require_two_factor",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop, elidable=True),
    ]
