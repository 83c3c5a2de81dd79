"""A subject's insights: the same shape as the subject page's insights.json, from the same loader."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api import lookups
from api.serializers import InsightsSerializer
from influence import insights
from influence.scoring.snapshots import today


class SubjectInsights(GenericAPIView):
    serializer_class = InsightsSerializer

    @extend_schema(
        summary="A subject's growth windows, projections, effects of offline activities and unusual days",
    )
    def get(self, request, pk: int):
        subject = lookups.subject(request, pk)
        return Response(self.get_serializer(insights.load(subject.pk, today()).as_json()).data)
