from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator
from django.db import models

from influence.core.choices import ONGOING_KINDS, ActivityKind

if TYPE_CHECKING:
    from influence.core.models.workspaces import Membership

MAX_AUDIENCE = 100_000_000


class Activity(models.Model):
    """One offline activity of a subject: a talk, a book, a class, a referral ..."""

    subject = models.ForeignKey("core.Subject", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    audience = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(MAX_AUDIENCE)])
    # Event, publisher, client or outlet, depending on the kind.
    venue = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: the requesting user's membership, set by influence.core.permissions.
    membership: "Membership"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["subject", "date"], name="activity_subject_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.date})"

    @property
    def is_ongoing_kind(self) -> bool:
        return self.kind in ONGOING_KINDS
