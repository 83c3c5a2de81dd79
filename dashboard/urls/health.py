from django.urls import path

from dashboard.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
