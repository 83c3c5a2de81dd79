from django.db import models


class PendingWork(models.Model):
    """Follow-up work a change needs (a recompute), recorded in the change's transaction.

    Queued once the change commits; while the broker is away the row waits and
    the every-minute beat task (influence.scoring.queue) queues it later.
    queued_at is set when the row is handed to the broker and cleared again if
    the broker refused it; the task deletes the row once the work is done.
    """

    class Kind(models.TextChoices):
        SUBJECT = "subject", "Recompute a subject's scores"
        WORKSPACE = "workspace", "Recompute a workspace's scores"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.ForeignKey("core.Subject", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Subject work: recompute from this day (none: from the subject's first input).
    since = models.DateField(null=True, blank=True)
    # Workspace work: the recompute it runs (its progress is shown on the parameters page).
    recompute = models.ForeignKey(
        "core.ScoreRecompute", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    # How often it was handed to the broker, and why the last attempt failed.
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "pending work"
        indexes = [models.Index(fields=["queued_at"], name="pending_work_queued_idx")]

    def __str__(self) -> str:
        target = f"subject {self.subject_id} from {self.since or 'its start'}" if self.subject_id else (
            f"recompute {self.recompute_id}"
        )
        return f"{self.get_kind_display()}: {target}"
