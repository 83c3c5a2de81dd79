from django.conf import settings
from django.db import models

from influence.core.choices import DigestStatus


class Digest(models.Model):
    """One weekly email to one user; the row is claimed before sending, so never two a week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    # The Monday of the ISO week, in the user's time zone.
    week_start = models.DateField()
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.SENDING)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-week_start", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="digest_unique_week")]
        indexes = [models.Index(fields=["status", "claimed_at"], name="digest_status_idx")]

    def __str__(self) -> str:
        return f"{self.user} week of {self.week_start}: {self.status}"
