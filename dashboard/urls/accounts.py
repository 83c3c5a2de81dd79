from django.urls import path

from dashboard.views import accounts

urlpatterns = [
    path("workspaces/<int:pk>/credentials/", accounts.workspace_credentials, name="workspace_credentials"),
]
