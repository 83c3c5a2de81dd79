"""A subject's offline activities: list (by kind and dates), create, update, delete, and bulk create.

Every value goes through influence.activities.rules.validate_activity, the rules
the form and the CSV import apply, with the same messages; a duplicate (same
kind, title and date) is refused as on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.params import date_param
from api.serializers import (
    ActivityInputSerializer,
    ActivityPatchSerializer,
    ActivitySerializer,
    BulkActivitiesSerializer,
    BulkResultSerializer,
)
from influence.activities import csv as activity_csv
from influence.activities.rules import (
    FIELDS,
    SAME_ACTIVITY,
    ActivityData,
    as_row,
    delete_activity,
    find_same,
    save_activity,
    validate_activity,
)
from influence.core.choices import ActivityKind
from influence.core.models import Activity, Subject

MAX_BULK = 500


def _as_text(value: Any) -> str | None:
    """A JSON value as the rules read typed values: text (numbers as digits, null as empty)."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, dict | list):
        return None  # not a value a person types
    return str(value)


def _check(raw: Any, base: dict[str, str] | None = None) -> tuple[ActivityData | None, dict[str, list[str]]]:
    """The validated values of one activity object (over `base`, an update's current values), or its errors."""
    if not isinstance(raw, dict):
        return None, {"non_field_errors": ["Send an activity as a JSON object."]}
    values = dict(base or {})
    errors: dict[str, list[str]] = {}
    for name in FIELDS:
        if name in raw:
            text = _as_text(raw[name])
            if text is None:
                errors[name] = ["Give a text, a number or null."]
            else:
                values[name] = text
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        errors["non_field_errors"] = [f"Unknown field(s): {', '.join(unknown)}; use {', '.join(FIELDS)}."]
    if errors:
        return None, errors
    check = validate_activity(values)
    return check.data, check.errors


class ActivityList(ListModelMixin, GenericAPIView):
    """(ListModelMixin marks the GET as a paged list for the schema.)"""

    serializer_class = ActivitySerializer

    @extend_schema(
        summary="A subject's activities, newest first, paged",
        parameters=[
            OpenApiParameter("kind", str, enum=ActivityKind.values, description="Only this kind."),
            OpenApiParameter("from", dt.date, description="Dated on or after this day."),
            OpenApiParameter("to", dt.date, description="Dated on or before this day."),
        ],
    )
    def get(self, request, pk: int):
        subject = lookups.subject(request, pk)
        activities = subject.activities.order_by("-date", "-pk")
        kind = request.query_params.get("kind")
        if kind:
            if kind not in ActivityKind.values:
                raise ValidationError({"kind": [f"Use one of {', '.join(ActivityKind.values)}."]})
            activities = activities.filter(kind=kind)
        start, end = date_param(request, "from"), date_param(request, "to")
        if start and end and start > end:
            raise ValidationError({"from": ["The “from” date is after the “to” date."]})
        if start:
            activities = activities.filter(date__gte=start)
        if end:
            activities = activities.filter(date__lte=end)
        page = self.paginate_queryset(activities)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Add an activity", request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def post(self, request, pk: int):
        subject = lookups.subject(request, pk, write=True)
        data, errors = _check(request.data)
        if errors:
            raise ValidationError(errors)
        assert data is not None
        if find_same(subject, data):
            raise ValidationError({"title": [SAME_ACTIVITY]})
        activity = save_activity(subject, data)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityBulk(GenericAPIView):
    serializer_class = BulkResultSerializer

    @extend_schema(
        summary=f"Add up to {MAX_BULK} activities at once: all of them, or none when any is invalid",
        description="Errors name each item by its position: `activities.3.date`.",
        request=BulkActivitiesSerializer,
        responses={201: BulkResultSerializer},
    )
    def post(self, request, pk: int):
        subject = lookups.subject(request, pk, write=True)
        items = request.data.get("activities") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or not items:
            raise ValidationError({"activities": ["Send a non-empty list of activities."]})
        if len(items) > MAX_BULK:
            raise ValidationError({"activities": [f"Send at most {MAX_BULK} activities at once (got {len(items)})."]})
        checked, errors = self._check_all(subject, items)
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            # The import's storing: one insert, one recompute from the earliest date.
            activity_csv.import_rows(subject, checked)
            created = self._read_back(subject, checked)
        return Response(
            {"created": len(created), "results": ActivitySerializer(created, many=True).data},
            status=status.HTTP_201_CREATED,
        )

    def _check_all(self, subject: Subject, items: list) -> tuple[list[ActivityData], dict[str, list[str]]]:
        checked: list[ActivityData] = []
        errors: dict[str, list[str]] = {}
        # The subject's activities and the earlier items alike: a key may appear once.
        seen: set[tuple] = set(subject.activities.values_list("kind", "title", "date"))
        for index, raw in enumerate(items):
            data, item_errors = _check(raw)
            if data is not None and not item_errors:
                if data.key in seen:
                    item_errors = {"title": [SAME_ACTIVITY]}
                seen.add(data.key)
            for name, messages in item_errors.items():
                errors[f"activities.{index}.{name}"] = messages
            if data is not None:
                checked.append(data)
        return checked, errors

    def _read_back(self, subject: Subject, checked: list[ActivityData]) -> list[Activity]:
        keys = Q()
        for data in checked:
            keys |= Q(kind=data.kind, title=data.title, date=data.date)
        return list(subject.activities.filter(keys).order_by("date", "pk"))


class ActivityDetail(GenericAPIView):
    serializer_class = ActivitySerializer

    @extend_schema(summary="One activity")
    def get(self, request, pk: int):
        return Response(self.get_serializer(lookups.activity(request, pk)).data)

    def _update(self, request, pk: int, partial: bool) -> Response:
        activity = lookups.activity(request, pk, write=True)
        data, errors = _check(request.data, base=as_row(activity) if partial else None)
        if errors:
            raise ValidationError(errors)
        assert data is not None
        if find_same(activity.subject, data, exclude_pk=activity.pk):
            raise ValidationError({"title": [SAME_ACTIVITY]})
        save_activity(activity.subject, data, activity)
        return Response(self.get_serializer(activity).data)

    @extend_schema(summary="Replace an activity's values", request=ActivityInputSerializer)
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    @extend_schema(summary="Change some of an activity's values", request=ActivityPatchSerializer)
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(summary="Delete an activity; the score is recomputed", responses={204: None})
    def delete(self, request, pk: int):
        delete_activity(lookups.activity(request, pk, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)
