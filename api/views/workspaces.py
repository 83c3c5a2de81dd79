from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.serializers import WorkspaceSerializer


class WorkspaceList(ListModelMixin, GenericAPIView):
    """A handful per user: one list, not paged."""

    serializer_class = WorkspaceSerializer
    pagination_class = None

    @extend_schema(summary="The workspaces the token reaches, with the user's role in each")
    def get(self, request):
        rows = []
        for workspace in lookups.workspaces(request):
            workspace.role = workspace.membership.role
            rows.append(workspace)
        return Response(self.get_serializer(rows, many=True).data)
