from django.conf import settings
from django.db import models


class AccessToken(models.Model):
    """A user's personal access token for the JSON API (created on their settings page).

    Only the SHA-256 of the secret is stored: the secret is shown once, when the
    token is created. A token acts with its user's role in each workspace, narrowed
    to one workspace when `workspace` is set and to reading when `can_write` is off.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    # None: every workspace the user belongs to.
    workspace = models.ForeignKey(
        "core.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="access_tokens"
    )
    can_write = models.BooleanField("read and write", default=False)
    secret_hash = models.CharField(max_length=64, unique=True)
    # The secret's first characters ("infl_AbC1"), to recognise a token in a list without revealing it.
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"
