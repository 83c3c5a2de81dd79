"""A subject's stored scores: the daily snapshots over a range, and one day's breakdown.

The sub-scores are derived from each snapshot's stored points and the
workspace's K (influence.reports.subscores), as the pages show them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.params import date_param
from api.serializers import BreakdownSerializer, SnapshotSerializer
from influence import scoring
from influence.core.choices import ActivityKind, Network
from influence.core.models import ScoreSnapshot
from influence.reports.subscores import sub_scores
from influence.scoring.snapshots import parameters_for


def snapshot_values(snapshot: ScoreSnapshot, params: scoring.Parameters) -> dict[str, Any]:
    scores = sub_scores(snapshot.online_points, snapshot.offline_points, params)
    return {
        "day": snapshot.day,
        "total": snapshot.total,
        "online_share": snapshot.online,
        "offline_share": snapshot.offline,
        "online_score": scores.online,
        "offline_score": scores.offline,
        "online_points": snapshot.online_points,
        "offline_points": snapshot.offline_points,
        "model_version": snapshot.model_version,
    }


def _groups(groups: dict[str, dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = [
        {"name": name, "label": labels.get(name, name), "points": float(values["points"]),
         "share": float(values["share"]), "count": int(values["count"])}
        for name, values in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row["share"], row["name"]))


class ScoreList(ListModelMixin, GenericAPIView):
    """(ListModelMixin marks the GET as a paged list for the schema.)"""

    serializer_class = SnapshotSerializer

    @extend_schema(
        summary="A subject's daily scores over a range, oldest first, paged",
        parameters=[
            OpenApiParameter("from", dt.date, description="From this day (default: the first)."),
            OpenApiParameter("to", dt.date, description="To this day (default: the last)."),
        ],
    )
    def get(self, request, pk: int):
        subject = lookups.subject(request, pk)
        start, end = date_param(request, "from"), date_param(request, "to")
        if start and end and start > end:
            raise ValidationError({"from": ["The “from” date is after the “to” date."]})
        snapshots = subject.snapshots.defer("breakdown").order_by("day")
        if start:
            snapshots = snapshots.filter(day__gte=start)
        if end:
            snapshots = snapshots.filter(day__lte=end)
        params = parameters_for(subject)
        page = self.paginate_queryset(snapshots)
        return self.get_paginated_response(
            self.get_serializer([snapshot_values(s, params) for s in page], many=True).data
        )


class ScoreDay(GenericAPIView):
    serializer_class = BreakdownSerializer

    @extend_schema(summary="One day's score and where every point of it comes from")
    def get(self, request, pk: int, day: str):
        subject = lookups.subject(request, pk)
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationError({"day": [f"“{day}” is not a date; use YYYY-MM-DD."]}) from None
        snapshot = subject.snapshots.filter(day=when).first()
        if snapshot is None:
            raise NotFound(f"No score stored for {when.isoformat()}.")
        breakdown = snapshot.breakdown or {}
        values = snapshot_values(snapshot, parameters_for(subject))
        values.update(
            networks=_groups(breakdown.get("networks", {}), dict(Network.choices)),
            kinds=_groups(breakdown.get("kinds", {}), dict(ActivityKind.choices)),
            top_items=breakdown.get("top_items", []),
            stale=breakdown.get("stale", []),
        )
        return Response(self.get_serializer(values).data)
