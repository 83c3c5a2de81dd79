from django.urls import path

from dashboard.views import settings

urlpatterns = [
    path("settings/", settings.user_settings, name="user_settings"),
    path("settings/tokens/new/", settings.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", settings.token_revoke, name="token_revoke"),
]
