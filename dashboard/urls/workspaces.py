from django.urls import path

from dashboard.views import workspaces

urlpatterns = [
    path("workspaces/<int:pk>/settings/", workspaces.workspace_settings, name="workspace_settings"),
]
