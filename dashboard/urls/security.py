from django.urls import path

from dashboard.views import security

urlpatterns = [
    path("workspaces/<int:pk>/two-factor/", security.workspace_two_factor, name="workspace_two_factor"),
]
