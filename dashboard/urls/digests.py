from django.urls import path

from dashboard.views import digests

urlpatterns = [
    path("settings/email/", digests.preferences, name="digest_preferences"),
    path("settings/email/preview/", digests.preview_email, name="digest_preview"),
    path("unsubscribe/<str:token>/", digests.unsubscribe, name="digest_unsubscribe"),
]
