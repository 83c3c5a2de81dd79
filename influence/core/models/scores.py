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

    def __str__(self):
        return f"{self.subject} {self.day}: {self.total:.2f}"
