from django.urls import path

from dashboard.views import scoring

urlpatterns = [
    path("workspaces/<int:pk>/scoring/", scoring.workspace_scoring, name="workspace_scoring"),
]
