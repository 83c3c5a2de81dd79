from django.conf import settings
from django.db import models

from influence.core.choices import Metric


class AnomalyDismissal(models.Model):
    """A flagged day of an account's metric that a user marked as explained.

    The anomaly itself is computed from the observations each time; only the
    dismissal is stored, keyed by the day so it survives recomputation.
    """

    account = models.ForeignKey("core.Account", on_delete=models.CASCADE, related_name="anomaly_dismissals")
    metric = models.CharField(max_length=30, choices=Metric.choices)
    day = models.DateField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="anomaly_dismissals"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "metric", "day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "metric", "day"], name="anomaly_dismissal_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.metric} on {self.day} dismissed"
