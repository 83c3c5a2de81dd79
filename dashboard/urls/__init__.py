"""The dashboard's URLs, one module per area (each owns its views under dashboard/views/)."""

from . import accounts, activities, auth, digests, health, scoring, security, settings, sharing, subjects, workspaces

urlpatterns = [
    *auth.urlpatterns,
    *health.urlpatterns,
    *subjects.urlpatterns,
    *activities.urlpatterns,
    *accounts.urlpatterns,
    *workspaces.urlpatterns,
    *scoring.urlpatterns,
    *digests.urlpatterns,
    *settings.urlpatterns,
    *security.urlpatterns,
    *sharing.urlpatterns,
]
