from django.urls import path

from dashboard.views import sharing

urlpatterns = [
    path("subjects/<int:pk>/share/", sharing.share_create, name="share_create"),
    path("shares/<int:pk>/revoke/", sharing.share_revoke, name="share_revoke"),
    path("r/<str:token>/", sharing.shared_report, name="shared_report"),
    path("r/<str:token>/series.json", sharing.shared_report_series, name="shared_report_series"),
]
