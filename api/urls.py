"""/api/v1/: the resources, the OpenAPI schema and its interactive docs.

Django's login requirement does not apply here: the API answers 401 without a
token, and the schema and docs are public (SPEC A).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import not_found
from api.views import accounts, activities, insights, scores, subjects, workspaces


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our static files, its start-up script a file of its own: the site's CSP runs no inline code."""

    template_name = "api/docs.html"


class IsoDay:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IsoDay, "isoday")


def endpoint(route: str, view, name: str):
    return path(route, login_not_required(view.as_view()), name=name)


urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api_schema"),
    path("docs/", login_not_required(DocsView.as_view(url_name="api_schema")), name="api_docs"),
    endpoint("workspaces/", workspaces.WorkspaceList, "api_workspaces"),
    endpoint("subjects/", subjects.SubjectList, "api_subjects"),
    endpoint("subjects/<int:pk>/", subjects.SubjectDetail, "api_subject"),
    endpoint("subjects/<int:pk>/accounts/", accounts.AccountList, "api_subject_accounts"),
    endpoint("subjects/<int:pk>/activities/", activities.ActivityList, "api_subject_activities"),
    endpoint("subjects/<int:pk>/activities/bulk/", activities.ActivityBulk, "api_activities_bulk"),
    endpoint("subjects/<int:pk>/scores/", scores.ScoreList, "api_subject_scores"),
    endpoint("subjects/<int:pk>/scores/<isoday:day>/", scores.ScoreDay, "api_subject_score_day"),
    endpoint("subjects/<int:pk>/insights/", insights.SubjectInsights, "api_subject_insights"),
    endpoint("accounts/<int:pk>/", accounts.AccountDetail, "api_account"),
    endpoint("accounts/<int:pk>/pause/", accounts.AccountPause, "api_account_pause"),
    endpoint("accounts/<int:pk>/resume/", accounts.AccountResume, "api_account_resume"),
    endpoint("accounts/<int:pk>/counts/", accounts.AccountCounts, "api_account_counts"),
    endpoint("activities/<int:pk>/", activities.ActivityDetail, "api_activity"),
    # Any other address: a JSON 404 for every method (it changes nothing, so no CSRF check applies).
    re_path(r"^(?P<rest>[\s\S]*)$", login_not_required(csrf_exempt(not_found)), name="api_not_found"),
]
