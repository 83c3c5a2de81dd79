"""A user's own data: the export of everything they can see, and the deletion of their account.

The export covers the workspaces the user belongs to (their subjects, network
accounts, observations, activities and daily scores) plus the user's profile,
memberships and the subjects picked for their weekly email, each table as JSON and as CSV in one zip; in the CSV, text a
spreadsheet would run as a formula is escaped, as in every export. API
credentials are left out on purpose: they are secrets, and an export is a file
people email around.
"""

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Count, Model, Q

from influence.core.choices import Role
from influence.core.csvsafe import csv_cell
from influence.core.models import Account, Activity, Membership, Observation, ScoreSnapshot, Subject, User, Workspace

# The archive is built in a temporary file kept in memory up to this size and
# spilled to disk past it, so a large workspace does not hold the web process's memory.
MEMORY_LIMIT = 8 * 1024 * 1024
CHUNK = 2000

TABLES: dict[str, tuple[type, list[str], str]] = {
    # name: (model, fields, path from the row to the workspace)
    "workspaces": (Workspace, ["id", "name", "score_parameters", "created_at"], "id"),
    "subjects": (Subject, ["id", "workspace_id", "name", "created_at"], "workspace_id"),
    "accounts": (
        Account,
        ["id", "subject_id", "network", "handle", "instance_url", "label", "status", "collect_interval_hours",
         "last_attempt_at", "last_collected_at", "last_error", "consecutive_failures", "created_at"],
        "subject__workspace_id",
    ),
    "observations": (
        Observation, ["id", "account_id", "metric", "day", "value", "collected_at"], "account__subject__workspace_id"
    ),
    "activities": (
        Activity,
        ["id", "subject_id", "kind", "title", "date", "end_date", "audience", "venue", "url", "notes",
         "created_at", "updated_at"],
        "subject__workspace_id",
    ),
    "scores": (
        ScoreSnapshot,
        ["id", "subject_id", "day", "total", "online", "offline", "online_points", "offline_points",
         "model_version", "breakdown", "computed_at"],
        "subject__workspace_id",
    ),
}
PROFILE_FIELDS = ["id", "email", "first_name", "last_name", "time_zone", "digest_enabled", "digest_weekday",
                  "digest_hour", "date_joined", "last_login"]
MEMBERSHIP_FIELDS = ["workspace_id", "workspace__name", "role", "created_at"]
# The user's API tokens and share links: what they are and when they were used, never a secret
# (a token's hash, a link's password hash) nor the link itself.
TOKEN_FIELDS = ["id", "name", "workspace_id", "can_write", "prefix", "created_at", "expires_at", "last_used_at",
                "revoked_at"]
SHARE_LINK_FIELDS = ["id", "subject_id", "subject__name", "created_at", "expires_at", "revoked_at",
                     "last_viewed_at"]
# The subjects the user picked for their weekly email (none: all they can see); the picks of
# subjects they can no longer see are ignored by the email and left out here.
DIGEST_SUBJECT_FIELDS = ["subject_id", "subject__name", "subject__workspace_id"]


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _csv_cell(value: object) -> object:
    value = _plain(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    # Names, titles and notes are typed by users: escaped like every CSV of the product.
    return "" if value is None else csv_cell(value)


def _write_table(archive: zipfile.ZipFile, name: str, fields: list[str], rows: Iterable[dict]) -> None:
    """Write one table as name.json (a list of objects) and name.csv, reading the rows once.

    A zip takes one writer at a time: the CSV goes to its own spooled file
    meanwhile and is copied in after the JSON.
    """
    with tempfile.SpooledTemporaryFile(max_size=MEMORY_LIMIT, mode="w+", newline="", encoding="utf-8") as csv_out:
        writer = csv.writer(csv_out)
        writer.writerow(fields)
        with archive.open(f"{name}.json", "w") as raw_json:
            json_out = io.TextIOWrapper(raw_json, encoding="utf-8")
            json_out.write("[")
            for index, row in enumerate(rows):
                json_out.write((",\n" if index else "\n") + json.dumps({f: _plain(row[f]) for f in fields}))
                writer.writerow([_csv_cell(row[f]) for f in fields])
            json_out.write("\n]\n")
            json_out.flush()
            json_out.detach()
        csv_out.seek(0)
        with archive.open(f"{name}.csv", "w") as raw_csv:
            while block := csv_out.read(64 * 1024):
                raw_csv.write(block.encode("utf-8"))


def _rows(
    model: type[Model], fields: list[str], workspace_path: str, workspace_ids: list[int]
) -> Iterator[dict[str, Any]]:
    queryset = model._default_manager.filter(**{f"{workspace_path}__in": workspace_ids}).order_by("pk")
    return queryset.values(*fields).iterator(chunk_size=CHUNK)


def export_archive(user: User) -> tempfile.SpooledTemporaryFile:
    """A zip of everything the user can see, rewound and ready to send."""
    workspace_ids = list(Membership.objects.filter(user=user).values_list("workspace_id", flat=True))
    spool = tempfile.SpooledTemporaryFile(max_size=MEMORY_LIMIT)  # noqa: SIM115  (returned open)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_table(archive, "profile", PROFILE_FIELDS, User.objects.filter(pk=user.pk).values(*PROFILE_FIELDS))
        _write_table(
            archive, "memberships", MEMBERSHIP_FIELDS,
            Membership.objects.filter(user=user).order_by("workspace_id").values(*MEMBERSHIP_FIELDS),
        )
        _write_table(archive, "access_tokens", TOKEN_FIELDS, user.access_tokens.order_by("pk").values(*TOKEN_FIELDS))
        _write_table(
            archive, "share_links", SHARE_LINK_FIELDS, user.share_links.order_by("pk").values(*SHARE_LINK_FIELDS)
        )
        _write_table(
            archive, "digest_subjects", DIGEST_SUBJECT_FIELDS,
            User.digest_subjects.through.objects.filter(user=user, subject__workspace_id__in=workspace_ids)
            .order_by("subject_id").values(*DIGEST_SUBJECT_FIELDS),
        )
        for name, (model, fields, path) in TABLES.items():
            _write_table(archive, name, fields, _rows(model, fields, path, workspace_ids))
        archive.writestr(
            "README.txt",
            "Your Influence data: each table as JSON and as CSV. API credentials are not exported, nor the\n"
            "secrets of your access tokens and share links (only their names, scopes and dates).\n",
        )
    spool.seek(0)
    return spool


def workspaces_deleted_with(user: User) -> list[Workspace]:
    """The workspaces the user is the only owner of: they go when the account goes."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("workspace_id")
    return list(
        Workspace.objects.filter(pk__in=owned)
        .annotate(owners=Count("memberships", filter=Q(memberships__role=Role.OWNER)))
        .filter(owners=1)
        .order_by("name", "pk")
    )


def delete_account(user: User) -> list[str]:
    """Delete the user, and with them every workspace they alone own; returns those workspaces' names."""
    with transaction.atomic():
        # Lock the user's memberships so an owner joining or leaving meanwhile is seen.
        list(Membership.objects.select_for_update().filter(workspace__memberships__user=user))
        doomed = workspaces_deleted_with(user)
        Workspace.objects.filter(pk__in=[w.pk for w in doomed]).delete()
        user.delete()
    return [w.name for w in doomed]
