from django.urls import path

from dashboard.views import accounts

urlpatterns = [
    path("subjects/<int:pk>/accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/pause/", accounts.account_pause, name="account_pause"),
    path("accounts/<int:pk>/resume/", accounts.account_resume, name="account_resume"),
    path("accounts/<int:pk>/delete/", accounts.account_delete, name="account_delete"),
    path("accounts/<int:pk>/collect/", accounts.account_collect, name="account_collect"),
    path("accounts/<int:pk>/counts/", accounts.account_counts, name="account_counts"),
    path("workspaces/<int:pk>/credentials/", accounts.workspace_credentials, name="workspace_credentials"),
]
