from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Abs, Coalesce

from influence.core.choices import Role


class Workspace(models.Model):
    """The unit of ownership: a person's own, or an agency's with all its clients."""

    name = models.CharField(max_length=100)
    # Overrides of the score model's defaults (SCORING.md); {} means the defaults.
    score_parameters = models.JSONField(default=dict, blank=True)
    # Every member must have two factors set up to see anything of the workspace.
    require_two_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: the requesting user's membership, set by influence.core.permissions.
    membership: "Membership"

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user")]
        ordering = ["workspace", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class Invitation(models.Model):
    """An owner's invitation of an email address; the link carries a signed token of its id."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account signed up from this invitation's page: it joins once its address is confirmed.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.workspace}"


class Subject(models.Model):
    """A person or brand whose influence is tracked."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # A copy of the demo's story, added from the first-run guide to show what a score looks like:
    # read-only (influence.core.permissions refuses changes), its accounts paused, removable.
    is_sample = models.BooleanField(default=False, editable=False)

    # The newest snapshot's day, total and stale inputs, and the shown score's changes over 7 and
    # 30 days (null without both scores): copies of the snapshots that influence.scoring.latest
    # writes in the transaction of every snapshot write, so that a list sorted by change and the
    # weekly email's subjects that moved most read a few rows through an index rather than every
    # subject's snapshots. Written by that module alone (see save()).
    score_day = models.DateField(null=True, blank=True, editable=False)
    score_total = models.FloatField(null=True, blank=True, editable=False)
    score_change_7d = models.IntegerField(null=True, blank=True, editable=False)
    score_change_30d = models.IntegerField(null=True, blank=True, editable=False)
    score_stale = models.JSONField(null=True, blank=True, editable=False)

    # Not a column: the requesting user's membership, set by influence.core.permissions.
    membership: Membership

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # A workspace's subjects by 7-day change, each way with unscored ones last (the home
            # page's sorts), and by how much they moved either way (the weekly email's picks).
            # (SQLite refuses NULLS LAST in an index: migration 0009 builds this one on PostgreSQL only.)
            models.Index(F("workspace"), F("score_change_7d").desc(nulls_last=True), name="subject_change_7d_desc_idx"),
            models.Index(fields=["workspace", "score_change_7d"], name="subject_change_7d_asc_idx"),
            models.Index(F("workspace"), Abs(Coalesce("score_change_7d", 0)).desc(), name="subject_moved_7d_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a subject read earlier (an edit form's) never puts back the score it read: the
        snapshots may have moved on since."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in SCORE_FIELDS
            ]
        super().save(*args, **kwargs)


# The columns of Subject that influence.scoring.latest keeps.
SCORE_FIELDS = ("score_day", "score_total", "score_change_7d", "score_change_30d", "score_stale")
