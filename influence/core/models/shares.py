from django.conf import settings
from django.db import models


class ShareLink(models.Model):
    """A revocable link that shows one subject's report to someone without an account.

    The link carries a signed token of the row's id (as invitations do), so the
    subject page can show it again; revoking, expiring or deleting the row ends it.
    """

    subject = models.ForeignKey("core.Subject", on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="share_links"
    )
    # An optional password, hashed like a user's ("" when the link needs none).
    password_hash = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Report of {self.subject} until {self.expires_at:%Y-%m-%d}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)
