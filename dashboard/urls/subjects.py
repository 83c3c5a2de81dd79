from django.urls import path

from dashboard.views import subjects

urlpatterns = [
    path("", subjects.home, name="home"),
    path("subjects/<int:pk>/", subjects.subject_detail, name="subject_detail"),
    path("compare/", subjects.compare, name="compare"),
]
