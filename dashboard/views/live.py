"""A subject's work in flight as JSON: the subject page polls it after a change until the new snapshot lands."""

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.live import WorkInFlight, with_work_in_flight
from influence.core.models import Subject
from influence.core.permissions import get_subject_for_user
from influence.scoring.snapshots import today


@require_safe
def subject_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Whether a recompute, a collection or the workspace's parameter recompute is pending for the
    subject, and the version of its newest snapshot; read with the subject, in its query."""
    queryset = with_work_in_flight(Subject.objects.all(), timezone.now(), today())
    subject = get_subject_for_user(request, pk, queryset=queryset)
    response = JsonResponse(WorkInFlight.of(subject).as_json())
    # Polled: never an answer from a cache.
    response["Cache-Control"] = "no-store"
    return response
