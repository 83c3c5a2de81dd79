from django.urls import path

from dashboard.views import scoring

urlpatterns = [
    path("workspaces/<int:pk>/scoring/", scoring.workspace_scoring, name="workspace_scoring"),
    path("workspaces/<int:pk>/scoring/reset/", scoring.workspace_scoring_reset, name="workspace_scoring_reset"),
    path(
        "workspaces/<int:pk>/scoring/progress/", scoring.workspace_scoring_progress,
        name="workspace_scoring_progress",
    ),
]
