from django.conf import settings
from django.db import models

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

    # Not a column: the requesting user's membership, set by influence.core.permissions.
    membership: Membership

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
