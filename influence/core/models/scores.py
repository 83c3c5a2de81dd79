from django.conf import settings
from django.db import models


class ScoreSnapshot(models.Model):
    """A subject's score on one (UTC) day, with the breakdown that explains it."""

    subject = models.ForeignKey("core.Subject", on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    total = models.FloatField()
    # The two sides' shares of total: online + offline == total.
    online = models.FloatField()
    offline = models.FloatField()
    # The weighted points of each side, before saturation.
    online_points = models.FloatField()
    offline_points = models.FloatField()
    breakdown = models.JSONField(default=dict)
    model_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["subject", "day"]
        # The unique index on (subject, day) serves "this subject's series between two days".
        constraints = [models.UniqueConstraint(fields=["subject", "day"], name="snapshot_unique_day")]

    def __str__(self) -> str:
        return f"{self.subject} {self.day}: {self.total:.2f}"


class ScoreRecompute(models.Model):
    """One rebuild of a workspace's score history, and how far it got (the parameters page polls it).

    Kept in the database rather than the cache so that the web process and the
    worker see the same progress in every run mode (the embedded one has no
    shared cache).
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Superseded by a newer recompute"

    workspace = models.ForeignKey("core.Workspace", on_delete=models.CASCADE, related_name="score_recomputes")
    model_version = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    subjects_total = models.PositiveIntegerField(default=0)
    subjects_done = models.PositiveIntegerField(default=0)
    days_total = models.PositiveIntegerField(default=0)
    days_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="recompute_workspace_idx")]

    def __str__(self) -> str:
        return f"{self.workspace} {self.model_version}: {self.state}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.days_total:
            return 0
        return min(99, self.days_done * 100 // self.days_total)


class SnapshotRun(models.Model):
    """One day's snapshot of every subject, fanned out in chunks (influence.scoring.daily).

    Each chunk adds its subjects as it finishes; the last one to finish sets finished_at.
    """

    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    subjects_total = models.PositiveIntegerField(default=0)
    subjects_scored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Snapshot of {self.day}: {self.chunks_done}/{self.chunks_total} chunks"


class SnapshotChunk(models.Model):
    """A few hundred subjects of a run, scored by one task; finished_at is set once, whatever the retries."""

    run = models.ForeignKey(SnapshotRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    subject_ids = models.JSONField(default=list)
    attempts = models.PositiveIntegerField(default=0)
    subjects_scored = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last failure, kept for the admin; cleared when the chunk finishes.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="snapshot_chunk_unique_number")]

    def __str__(self) -> str:
        return f"{self.run} #{self.number}"


class ParameterChange(models.Model):
    """One save of a workspace's score parameters: who saved it, when, and each value that changed.

    `changes` lists {"name", "label", "old", "new"} in the order of the parameters page; the
    history of every subject was recomputed with the new values (the trend chart marks the day).
    """

    workspace = models.ForeignKey("core.Workspace", on_delete=models.CASCADE, related_name="parameter_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="parameter_changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    version_before = models.CharField(max_length=40)
    version_after = models.CharField(max_length=40)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "-changed_at"], name="parameter_change_workspace_idx")]

    def __str__(self) -> str:
        return f"{self.workspace} {self.version_before} -> {self.version_after}"

    @property
    def shown_changes(self) -> list[dict[str, str]]:
        """Each change as the page shows it: its label, and the old and new values without trailing zeros."""
        return [
            {"label": str(row.get("label", row.get("name", ""))), "old": _number(row.get("old")),
             "new": _number(row.get("new"))}
            for row in self.changes or []
        ]


def _number(value: object) -> str:
    return f"{value:,g}" if isinstance(value, int | float) else ""
