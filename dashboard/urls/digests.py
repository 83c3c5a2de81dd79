from django.urls import path

from dashboard.views import digests

urlpatterns = [
    path("settings/email/", digests.preferences, name="digest_preferences"),
]
