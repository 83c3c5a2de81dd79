from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.serializers import SubjectCreateSerializer, SubjectRenameSerializer, SubjectSerializer
from influence.core.models import ScoreSnapshot, Subject

ORDERINGS = {
    "name": (F("name").asc(), F("pk").asc()),
    "-name": (F("name").desc(), F("pk").desc()),
    "created_at": (F("created_at").asc(), F("pk").asc()),
    "-created_at": (F("created_at").desc(), F("pk").desc()),
    # Subjects without a score yet come last either way.
    "score": (F("latest_total").asc(nulls_last=True), F("name").asc(), F("pk").asc()),
    "-score": (F("latest_total").desc(nulls_last=True), F("name").asc(), F("pk").asc()),
}


def with_latest_score(subjects):
    """Each subject's latest stored score and its day, read in the same query."""
    latest = ScoreSnapshot.objects.filter(subject_id=OuterRef("pk")).order_by("-day")
    return subjects.annotate(
        latest_total=Subquery(latest.values("total")[:1]), latest_day=Subquery(latest.values("day")[:1])
    )


class SubjectList(ListModelMixin, GenericAPIView):
    """(ListModelMixin marks the GET as a paged list for the schema.)"""

    serializer_class = SubjectSerializer

    @extend_schema(
        summary="Subjects of the token's workspaces, paged",
        parameters=[
            OpenApiParameter("workspace", int, description="Only this workspace's subjects."),
            OpenApiParameter("search", str, description="Part of the name, in any case."),
            OpenApiParameter("ordering", str, enum=list(ORDERINGS), description="Default: name."),
        ],
    )
    def get(self, request):
        ids = [workspace.pk for workspace in lookups.workspaces(request)]
        subjects = Subject.objects.filter(workspace_id__in=ids)
        workspace = request.query_params.get("workspace")
        if workspace:
            # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
            if not (workspace.isascii() and workspace.isdigit()) or len(workspace) > 18:
                raise ValidationError({"workspace": ["Give a workspace's id (a whole number)."]})
            subjects = subjects.filter(workspace_id=int(workspace))
        search = request.query_params.get("search", "").strip()
        if search:
            if "\x00" in search:
                raise ValidationError({"search": ["The search contains a NUL character; remove it."]})
            subjects = subjects.filter(name__icontains=search)
        ordering = request.query_params.get("ordering") or "name"
        if ordering not in ORDERINGS:
            raise ValidationError({"ordering": [f"Order by one of {', '.join(ORDERINGS)}."]})
        subjects = with_latest_score(subjects).order_by(*ORDERINGS[ordering])
        page = self.paginate_queryset(subjects)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Create a subject", request=SubjectCreateSerializer, responses={201: SubjectSerializer})
    def post(self, request):
        body = SubjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workspace = lookups.workspace(request, body.validated_data["workspace"], write=True)
        subject = Subject.objects.create(workspace=workspace, name=body.validated_data["name"])
        subject.latest_total = subject.latest_day = None
        return Response(SubjectSerializer(subject).data, status=status.HTTP_201_CREATED)


class SubjectDetail(GenericAPIView):
    serializer_class = SubjectSerializer

    def _read(self, pk: int) -> Subject:
        return with_latest_score(Subject.objects.filter(pk=pk)).get()

    @extend_schema(summary="One subject with its latest score")
    def get(self, request, pk: int):
        lookups.subject(request, pk)
        return Response(self.get_serializer(self._read(pk)).data)

    @extend_schema(summary="Rename a subject", request=SubjectRenameSerializer)
    def patch(self, request, pk: int):
        subject = lookups.subject(request, pk, write=True)
        body = SubjectRenameSerializer(subject, data=request.data)
        body.is_valid(raise_exception=True)
        body.save()
        return Response(self.get_serializer(self._read(pk)).data)

    @extend_schema(summary="Delete a subject with all its accounts, activities and scores", responses={204: None})
    def delete(self, request, pk: int):
        subject = lookups.subject(request, pk, write=True)
        with transaction.atomic():
            subject.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

