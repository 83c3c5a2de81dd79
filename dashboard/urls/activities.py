from django.urls import path

from dashboard.views import activities

urlpatterns = [
    path("subjects/<int:pk>/activities/new/", activities.activity_create, name="activity_create"),
    path("subjects/<int:pk>/activities/import/", activities.activity_import, name="activity_import"),
    path("subjects/<int:pk>/activities/export.csv", activities.activity_export, name="activity_export"),
    path("activities/template.csv", activities.activity_template, name="activity_template"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
]
