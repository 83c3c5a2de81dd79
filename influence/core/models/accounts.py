from typing import TYPE_CHECKING

from django.db import models

from influence.core.choices import AccountStatus, CredentialName, Metric, Network

if TYPE_CHECKING:
    from influence.core.models.workspaces import Membership


class Account(models.Model):
    """A subject's presence on one network."""

    subject = models.ForeignKey("core.Subject", on_delete=models.CASCADE, related_name="accounts")
    network = models.CharField(max_length=20, choices=Network.choices)
    handle = models.CharField(max_length=300)
    # Federated networks (Mastodon): the instance, e.g. https://mastodon.social.
    instance_url = models.URLField(blank=True)
    # Manual accounts: the closed platform's name (LinkedIn, X ...).
    label = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=AccountStatus.choices, default=AccountStatus.OK)
    collect_interval_hours = models.PositiveIntegerField(default=24)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_collected_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set when a collection is queued, cleared when it ends: the dispatcher's claim
    # (never queued twice) and how the last account of a subject knows it is last.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When the claim lapses: a task not finished by then is taken for lost and queued again
    # (COLLECT_CLAIM_TIMEOUT after queuing, moved on by each retry's wait).
    claimed_until = models.DateTimeField(null=True, blank=True)
    # While a retry of a failed collection waits (a timeout, a 5xx, a 429): when it starts,
    # and which retry it is (of COLLECT_MAX_RETRIES); cleared when the collection ends.
    retry_at = models.DateTimeField(null=True, blank=True)
    retry_attempt = models.PositiveSmallIntegerField(default=0)
    # When the network's history (Wikipedia: two years of page views) was stored.
    backfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: the requesting user's membership, set by influence.core.permissions.
    membership: "Membership"

    class Meta:
        ordering = ["subject", "network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "network", "handle", "instance_url"], name="account_unique_handle"
            )
        ]
        indexes = [
            models.Index(fields=["status", "last_attempt_at"], name="account_due_idx"),
            # The claims that lapsed, looked for every minute: only the queued accounts are indexed.
            models.Index(
                fields=["claimed_until"], name="account_claim_idx", condition=models.Q(queued_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    @property
    def display_name(self) -> str:
        if self.network == Network.MANUAL and self.label:
            return f"{self.label}: {self.handle}"
        return f"{self.get_network_display()}: {self.handle}"


class Observation(models.Model):
    """One metric value of one account on one (UTC) day."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="observations")
    metric = models.CharField(max_length=30, choices=Metric.choices)
    day = models.DateField()
    value = models.BigIntegerField()
    collected_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["account", "metric", "day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "metric", "day"], name="observation_unique_day")
        ]
        # "This account's series between two days" for every metric.
        indexes = [models.Index(fields=["account", "day"], name="observation_account_day_idx")]

    def __str__(self) -> str:
        return f"{self.account} {self.metric}={self.value} on {self.day}"


class Credential(models.Model):
    """An API credential a workspace entered; the value is stored encrypted, never in clear."""

    workspace = models.ForeignKey("core.Workspace", on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=30, choices=CredentialName.choices)
    ciphertext = models.TextField()
    # The last characters, to recognise a key without showing it.
    hint = models.CharField(max_length=8, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="credential_unique_name")]

    def __str__(self) -> str:
        return f"{self.get_name_display()} of {self.workspace}"
