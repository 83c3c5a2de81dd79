from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("dashboard.urls")),
]

# A workspace requiring two factors the user has not set up answers with a page asking for them.
handler403 = "dashboard.views.security.permission_denied"
