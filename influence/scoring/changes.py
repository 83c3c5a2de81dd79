"""Each save of a workspace's score parameters, kept: who, when, and every value old -> new.

The parameters page lists them; the trend chart marks the days they were saved
(the history shown was recomputed with the new values that day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from influence import scoring
from influence.core.choices import ActivityKind, Metric, Network
from influence.core.models import ParameterChange, User, Workspace

# The parameters page shows this many saves; older ones are counted.
SHOWN_CHANGES = 50
# A chart marks at most this many saves in its range.
MAX_CHART_CHANGES = 100


def weight_label(key: str) -> str:
    """ "mastodon.followers" -> "Mastodon followers" (the parameters page's label)."""
    network, metric = key.split(".", 1)
    network_label = Network(network).label.split(" (")[0] if network in Network.values else network
    metric_label = Metric(metric).label.lower() if metric in Metric.values else metric
    return f"{network_label} {metric_label}"


def _kind_label(kind: str) -> str:
    return ActivityKind(kind).label if kind in ActivityKind.values else kind


def differences(before: scoring.Parameters, after: scoring.Parameters) -> list[dict[str, Any]]:
    """Every value that differs, {"name", "label", "old", "new"}, in the order of the parameters page:
    the score's (w_online, w_offline, K), the online weights, then each kind's base and half-life."""
    rows: list[dict[str, Any]] = []

    def compare(name: str, label: str, old: float, new: float) -> None:
        if float(old) != float(new):
            rows.append({"name": name, "label": label, "old": float(old), "new": float(new)})

    compare("w_online", "Weight of online points (w_online)", before.w_online, after.w_online)
    compare("w_offline", "Weight of offline points (w_offline)", before.w_offline, after.w_offline)
    compare("k", "Saturation K", before.k, after.k)
    for key in sorted(set(before.weights) | set(after.weights), key=_weight_order):
        compare(f"weights.{key}", weight_label(key), before.weights.get(key, 0.0), after.weights.get(key, 0.0))
    for kind in _kinds(before, after):
        compare(f"bases.{kind}", f"{_kind_label(kind)}: base points", before.bases.get(kind, 0.0),
                after.bases.get(kind, 0.0))
        compare(f"half_lives.{kind}", f"{_kind_label(kind)}: half-life (days)", before.half_lives.get(kind, 0.0),
                after.half_lives.get(kind, 0.0))
    return rows


def _weight_order(key: str) -> tuple[int, str]:
    order = list(scoring.DEFAULT_WEIGHTS)
    return (order.index(key), key) if key in order else (len(order), key)


def _kinds(before: scoring.Parameters, after: scoring.Parameters) -> list[str]:
    known = [kind.value for kind in ActivityKind]
    named = set(before.bases) | set(after.bases) | set(before.half_lives) | set(after.half_lives)
    others = sorted(named - set(known))
    return known + others


def record(workspace: Workspace, user: User | None, before: scoring.Parameters,
           after: scoring.Parameters) -> ParameterChange:
    """Keep one save of the workspace's parameters (call it in the transaction that saves them)."""
    return ParameterChange.objects.create(
        workspace=workspace,
        changed_by=user,
        version_before=before.version,
        version_after=after.version,
        changes=differences(before, after),
    )


def changes_of(workspace_id: int, limit: int = SHOWN_CHANGES) -> QuerySet[ParameterChange]:
    """The workspace's latest saves, newest first, with who saved them (one query)."""
    return ParameterChange.objects.filter(workspace_id=workspace_id).select_related("changed_by")[:limit]


def chart_markers(workspace_id: int, start: dt.date | None, end: dt.date) -> list[dict[str, Any]]:
    """The saves dated within a chart's range (UTC days), oldest first, at most MAX_CHART_CHANGES."""
    saves = ParameterChange.objects.filter(workspace_id=workspace_id, changed_at__date__lte=end)
    if start:
        saves = saves.filter(changed_at__date__gte=start)
    rows = list(saves.order_by("-changed_at", "-pk").values_list("pk", "changed_at", "version_after")
                [:MAX_CHART_CHANGES])
    return [
        {"id": pk, "date": changed_at.astimezone(dt.UTC).date().isoformat(), "version": version}
        for pk, changed_at, version in reversed(rows)
    ]
