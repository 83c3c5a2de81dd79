from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.serializers import SubjectCreateSerializer, SubjectRenameSerializer, SubjectSerializer
from influence.core.models import Subject
from influence.reports import summaries

# The home page's orders and filters (influence.reports.summaries), by the same names.
ORDERINGS = [order for name in summaries.SORTS for order in (name, f"-{name}")]


def listed(subjects: QuerySet[Subject]) -> QuerySet[Subject]:
    """Subjects with their latest score and its changes, as the home page lists them."""
    return summaries.with_latest_scores(subjects)


class SubjectList(ListModelMixin, GenericAPIView):
    """(ListModelMixin marks the GET as a paged list for the schema.)"""

    serializer_class = SubjectSerializer

    @extend_schema(
        summary="Subjects of the token's workspaces, paged",
        parameters=[
            OpenApiParameter("workspace", int, description="Only this workspace's subjects."),
            OpenApiParameter("search", str, description="Part of the name, in any case."),
            OpenApiParameter(
                "ordering", str, enum=ORDERINGS,
                description="As on the home page, `-` first for descending; unscored subjects last. Default: name.",
            ),
            OpenApiParameter(
                "only", str, enum=list(summaries.FILTERS),
                description="Only subjects with failing accounts, or with stale inputs in their latest score.",
            ),
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
        if "\x00" in search:
            raise ValidationError({"search": ["The search contains a NUL character; remove it."]})
        ordering = request.query_params.get("ordering") or "name"
        if ordering not in ORDERINGS:
            raise ValidationError({"ordering": [f"Order by one of {', '.join(ORDERINGS)}."]})
        only = request.query_params.get("only") or ""
        if only and only not in summaries.FILTERS:
            raise ValidationError({"only": [f"Use one of {', '.join(summaries.FILTERS)}."]})
        subjects = summaries.list_subjects(subjects, search=search, sort=ordering, only=only)
        page = self.paginate_queryset(subjects)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Create a subject", request=SubjectCreateSerializer, responses={201: SubjectSerializer})
    def post(self, request):
        body = SubjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workspace = lookups.workspace(request, body.validated_data["workspace"], write=True)
        subject = Subject.objects.create(workspace=workspace, name=body.validated_data["name"])
        return Response(SubjectSerializer(listed(Subject.objects.filter(pk=subject.pk)).get()).data,
                        status=status.HTTP_201_CREATED)


class SubjectDetail(GenericAPIView):
    serializer_class = SubjectSerializer

    def _read(self, pk: int) -> Subject:
        return listed(Subject.objects.filter(pk=pk)).get()

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
        # A sample subject is read-only but removable, like any subject.
        subject = lookups.subject(request, pk, write=True, deleting=True)
        with transaction.atomic():
            subject.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

