from django.urls import path

from dashboard.views import charts, compare, insights, live, subjects

urlpatterns = [
    path("", subjects.home, name="home"),
    path("subjects/new/", subjects.subject_create, name="subject_create"),
    path("subjects/sample/", subjects.sample_create, name="sample_create"),
    path("guide/dismiss/", subjects.first_run_dismiss, name="first_run_dismiss"),
    path("subjects/<int:pk>/", subjects.subject_detail, name="subject_detail"),
    path("subjects/<int:pk>/rename/", subjects.subject_rename, name="subject_rename"),
    path("subjects/<int:pk>/delete/", subjects.subject_delete, name="subject_delete"),
    path("subjects/<int:pk>/changes/", subjects.subject_changes, name="subject_changes"),
    path("subjects/<int:pk>/items/", subjects.subject_items, name="subject_items"),
    path("subjects/<int:pk>/series.json", charts.subject_series, name="subject_series"),
    path("subjects/<int:pk>/series.csv", charts.subject_series, {"fmt": "csv"}, name="subject_series_csv"),
    path("subjects/<int:pk>/metrics.json", charts.subject_metrics, name="subject_metrics"),
    path("subjects/<int:pk>/metrics.csv", charts.subject_metrics, {"fmt": "csv"}, name="subject_metrics_csv"),
    path("subjects/<int:pk>/insights.json", insights.subject_insights, name="subject_insights"),
    path("subjects/<int:pk>/status.json", live.subject_status, name="subject_status"),
    path("subjects/<int:pk>/anomalies/dismiss/", insights.anomaly_dismiss, name="anomaly_dismiss"),
    path("compare/", compare.compare, name="compare"),
    path("compare.json", compare.compare_data, name="compare_data"),
    path("compare.csv", compare.compare_data, {"fmt": "csv"}, name="compare_csv"),
]
