"""A change of parameters recomputes the workspace's history in a real Celery worker."""

import pytest
from django.urls import reverse

from influence.core.models import ScoreSnapshot
from influence.core.models.scores import ScoreRecompute
from influence.scoring.parameters import Parameters
from tests.scoring.test_parameters_page import valid_data
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.worker]


def test_saved_parameters_are_recomputed_by_the_worker_with_progress(celery_worker_factory, owner_client, history):
    celery_worker_factory(concurrency=1)
    workspace = history.workspace
    owner_client.post(reverse("workspace_scoring", args=[workspace.pk]), valid_data(k="20"))
    version = Parameters.from_overrides({"k": 20}).version
    progress = reverse("workspace_scoring_progress", args=[workspace.pk])

    def finished() -> dict | None:
        data = owner_client.get(progress).json()
        return data if data["finished"] else None

    data = wait_until(finished)
    assert data["state"] == "done" and data["percent"] == 100 and data["model_version"] == version
    run = ScoreRecompute.objects.get()
    assert run.days_done == run.days_total == ScoreSnapshot.objects.filter(subject=history).count() > 0
    assert set(ScoreSnapshot.objects.values_list("model_version", flat=True)) == {version}
