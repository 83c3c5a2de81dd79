"""The score parameters page: members read, owners change, and a change recomputes the history."""

import pytest
from django.urls import reverse

from influence import scoring
from influence.core.models.scores import ScoreRecompute
from influence.scoring.parameters import Parameters


def url(workspace):
    return reverse("workspace_scoring", args=[workspace.pk])


def valid_data(**changes):
    params = Parameters()
    data = {f"w__{k.replace('.', '__')}": v for k, v in params.weights.items()}
    data.update({f"base__{k}": v for k, v in params.bases.items()})
    data.update({f"half_life__{k}": v for k, v in params.half_lives.items()})
    data.update({"w_online": 1, "w_offline": 1, "k": 60})
    data.update(changes)
    return data


def test_owner_sees_every_parameter_prefilled_with_its_current_value(owner_client, workspace):
    workspace.score_parameters = {"k": 45, "bases": {"book": 20}}
    workspace.save()
    response = owner_client.get(url(workspace))
    assert response.status_code == 200
    form = response.context["form"]
    assert len(form.fields) == len(scoring.DEFAULT_WEIGHTS) + 2 * len(scoring.DEFAULT_BASES) + 3
    assert form["k"].value() == 45 and form["base__book"].value() == 20
    assert form["w__github__stars"].value() == 1.5
    html = response.content.decode()
    assert "Default: 60" in html and "Default: 15" in html
    assert Parameters.from_overrides({"k": 45, "bases": {"book": 20}}).version in html


def test_saving_stores_the_overrides_and_queues_a_recompute(
    owner_client, workspace, subject, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = owner_client.post(url(workspace), valid_data(k="30", **{"w__github__stars": "3"}), follow=True)
    workspace.refresh_from_db()
    assert workspace.score_parameters == {"weights": {"github.stars": 3.0}, "k": 30.0}
    version = Parameters.from_overrides(workspace.score_parameters).version
    assert f"model version is now {version}" in response.content.decode()
    run = ScoreRecompute.objects.get(workspace=workspace)
    assert run.model_version == version and run.state == ScoreRecompute.State.QUEUED
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("k", "0", "K must be above 0."),
        ("k", "-3", "K must be above 0."),
        ("w__mastodon__followers", "-1", "Cannot be negative."),
        ("half_life__book", "-10", "Cannot be negative."),
        ("base__talk", "lots", "Enter a number."),
        ("w_online", "", "This field is required."),
    ],
)
def test_bad_values_are_refused_with_a_message_next_to_the_field(owner_client, workspace, field, value, message):
    response = owner_client.post(url(workspace), valid_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.score_parameters == {}
    assert not ScoreRecompute.objects.exists()


def test_saving_unchanged_parameters_queues_nothing(owner_client, workspace):
    response = owner_client.post(url(workspace), valid_data(), follow=True)
    assert "did not change" in response.content.decode()
    assert not ScoreRecompute.objects.exists()


def test_reset_to_defaults_clears_the_overrides_and_recomputes(owner_client, workspace):
    workspace.score_parameters = {"k": 10}
    workspace.save()
    owner_client.post(reverse("workspace_scoring_reset", args=[workspace.pk]))
    workspace.refresh_from_db()
    assert workspace.score_parameters == {}
    assert ScoreRecompute.objects.get().model_version == Parameters().version


@pytest.mark.parametrize("persona", ["viewer_client", "editor_client"])
def test_viewers_and_editors_read_the_parameters_but_cannot_change_them(request, workspace, persona):
    client = request.getfixturevalue(persona)
    response = client.get(url(workspace))
    assert response.status_code == 200
    assert "Only an owner" in response.content.decode()
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert client.post(url(workspace), valid_data(k="30")).status_code == 403
    assert client.post(reverse("workspace_scoring_reset", args=[workspace.pk])).status_code == 403
    workspace.refresh_from_db()
    assert workspace.score_parameters == {}


def test_outsider_gets_404_for_every_scoring_url(outsider_client, workspace):
    assert outsider_client.get(url(workspace)).status_code == 404
    assert outsider_client.post(url(workspace), valid_data(k="30")).status_code == 404
    assert outsider_client.post(reverse("workspace_scoring_reset", args=[workspace.pk])).status_code == 404
    assert outsider_client.get(reverse("workspace_scoring_progress", args=[workspace.pk])).status_code == 404


def test_progress_endpoint_reports_the_latest_recompute(viewer_client, workspace):
    progress = reverse("workspace_scoring_progress", args=[workspace.pk])
    assert viewer_client.get(progress).json() == {"state": None}
    ScoreRecompute.objects.create(workspace=workspace, model_version="v1-abc", state="running", days_total=200,
                                  days_done=50, subjects_total=2, subjects_done=1)
    data = viewer_client.get(progress).json()
    assert data["state"] == "running" and data["percent"] == 25 and data["finished"] is False
    page = viewer_client.get(url(workspace)).content.decode()
    assert "1 of 2 subjects, 25%" in page and 'src="/static/js/scoring.js"' in page
    assert "<script>" not in page and "style=" not in page
