from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from influence.core import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "time_zone", "digest_enabled", "is_staff", "date_joined", "last_login"]
    list_filter = ["digest_enabled", "is_staff", "is_active", "digest_weekday"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal", {"fields": ["first_name", "last_name", "time_zone", "current_workspace"]}),
        ("Weekly summary", {"fields": ["digest_enabled", "digest_weekday", "digest_hour"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    raw_id_fields = ["current_workspace"]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(models.Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "workspace__name"]
    raw_id_fields = ["user", "workspace"]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "workspace", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "workspace__name"]
    raw_id_fields = ["workspace", "invited_by", "accepted_by"]


@admin.register(models.Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "created_at"]
    search_fields = ["name", "workspace__name"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace"]


@admin.register(models.Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["handle", "network", "subject", "status", "last_collected_at", "consecutive_failures"]
    list_filter = ["network", "status"]
    search_fields = ["handle", "subject__name"]
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]


@admin.register(models.Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["account", "metric", "day", "value", "collected_at"]
    list_filter = ["metric", "account__network"]
    date_hierarchy = "day"
    search_fields = ["account__handle"]
    list_select_related = ["account"]
    raw_id_fields = ["account"]


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "subject", "date", "end_date", "audience"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["title", "venue", "subject__name"]
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]


@admin.register(models.ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    list_display = ["subject", "day", "total", "online", "offline", "model_version"]
    list_filter = ["model_version"]
    date_hierarchy = "day"
    search_fields = ["subject__name"]
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]


@admin.register(models.ScoreRecompute)
class ScoreRecomputeAdmin(admin.ModelAdmin):
    list_display = [
        "workspace", "model_version", "state", "subjects_done", "subjects_total", "days_done", "days_total",
        "created_at", "finished_at",
    ]
    list_filter = ["state"]
    raw_id_fields = ["workspace"]


@admin.register(models.ParameterChange)
class ParameterChangeAdmin(admin.ModelAdmin):
    """The kept saves of a workspace's parameters: a record, read only."""

    list_display = ["workspace", "changed_at", "changed_by", "version_before", "version_after"]
    list_select_related = ["workspace", "changed_by"]
    readonly_fields = ["workspace", "changed_by", "changed_at", "version_before", "version_after", "changes"]
    search_fields = ["workspace__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.ParameterChange | None = None) -> bool:
        return False


@admin.register(models.PendingWork)
class PendingWorkAdmin(admin.ModelAdmin):
    """Recomputes recorded with a change and not done yet: not queued (the broker was away) or under way."""

    list_display = ["kind", "subject", "since", "recompute", "created_at", "queued_at", "attempts", "last_error"]
    list_filter = ["kind"]
    raw_id_fields = ["subject", "recompute"]
    readonly_fields = ["created_at"]


class SnapshotChunkInline(admin.TabularInline):
    """The chunks still to finish: a run of a million subjects has thousands of finished ones."""

    model = models.SnapshotChunk
    fields = ["number", "attempts", "subjects_scored", "finished_at", "error"]
    readonly_fields = ["number", "attempts", "subjects_scored", "finished_at", "error"]
    extra = 0
    can_delete = False
    verbose_name_plural = "unfinished chunks"

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.SnapshotChunk]:
        return super().get_queryset(request).filter(finished_at__isnull=True)

    def has_add_permission(self, request: HttpRequest, obj: models.SnapshotRun | None = None) -> bool:
        return False


@admin.register(models.SnapshotRun)
class SnapshotRunAdmin(admin.ModelAdmin):
    list_display = [
        "day", "started_at", "finished_at", "chunks_done", "chunks_total", "subjects_scored", "subjects_total",
    ]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in models.SnapshotRun._meta.fields]
    inlines = [SnapshotChunkInline]


@admin.register(models.Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "week_start", "status", "claimed_at", "sent_at", "attempts"]
    list_filter = ["status"]
    date_hierarchy = "week_start"
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(models.Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["workspace", "name", "hint", "updated_at"]
    list_filter = ["name"]
    # The ciphertext is never shown, not even to staff.
    exclude = ["ciphertext"]
    readonly_fields = ["hint"]
    raw_id_fields = ["workspace"]
