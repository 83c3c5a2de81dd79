"""The score parameters page: members read, owners change, and a change recomputes the history."""

import re

import pytest
from django.urls import reverse

from influence import scoring
from influence.core.models import PendingWork
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
    # Recorded with the change, sent once it commits.
    assert list(PendingWork.objects.values_list("kind", "recompute_id")) == [(PendingWork.Kind.WORKSPACE, run.pk)]
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("k", "0", "Saturation K must be between 1 and 10,000."),
        ("k", "-3", "Saturation K must be between 1 and 10,000."),
        ("k", "10001", "Saturation K must be between 1 and 10,000."),
        ("k", "1e308", "Saturation K must be between 1 and 10,000."),
        ("k", "NaN", "Saturation K: enter a number."),
        ("k", "inf", "Saturation K: enter a number."),
        ("w__mastodon__followers", "-1", "Mastodon followers must be between 0 and 1,000."),
        ("w__mastodon__followers", "1000.5", "Mastodon followers must be between 0 and 1,000."),
        ("w_online", "1e308", "Weight of online points (w_online) must be between 0 and 1,000."),
        ("w_offline", "-0.1", "Weight of offline points (w_offline) must be between 0 and 1,000."),
        ("base__talk", "10001", "Talk: base points must be between 0 and 10,000."),
        ("half_life__book", "-10", "Book: half-life (days) must be between 1 and 36,500."),
        ("half_life__book", "0", "Book: half-life (days) must be between 1 and 36,500."),
        ("half_life__book", "36501", "Book: half-life (days) must be between 1 and 36,500."),
        ("base__talk", "lots", "Talk: base points: enter a number."),
        ("w_online", "", "Weight of online points (w_online): enter a number."),
    ],
)
def test_bad_values_are_refused_with_a_message_naming_the_field(owner_client, workspace, field, value, message):
    response = owner_client.post(url(workspace), valid_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    label = response.context["form"].fields[field].label
    assert f"Not saved: {label} cannot be used" in html
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


def test_the_edges_of_every_range_are_accepted(owner_client, workspace):
    data = valid_data(k="10000", w_online="0", w_offline="1000", base__talk="10000", half_life__talk="1",
                      base__book="0", half_life__book="36500")
    response = owner_client.post(url(workspace), data)
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.score_parameters["k"] == 10000.0
    assert workspace.score_parameters["half_lives"] == {"talk": 1.0, "book": 36500.0}


def test_stored_values_out_of_range_are_clamped_before_the_model_sees_them(owner_client, workspace):
    # Written before the ranges existed, or behind the form's back: jsonb keeps 1e400, which Python reads as inf.
    workspace.score_parameters = {
        "k": 0, "w_online": 1e308, "w_offline": float("inf"), "weights": {"github.stars": -5, "reddit.karma": "x"},
        "bases": {"talk": 1e9}, "half_lives": {"book": 0, "talk": float("nan")},
    }
    params = Parameters.from_overrides(workspace.score_parameters)
    assert params.k == 1.0 and params.w_online == 1000.0 and params.w_offline == 1.0
    assert params.weights["github.stars"] == 0.0 and params.weights["reddit.karma"] == 0.5
    assert params.bases["talk"] == 10_000.0
    assert params.half_lives["book"] == 1.0 and params.half_lives["talk"] == 365
    workspace.score_parameters = {"k": 0, "w_online": 1e308, "bases": {"talk": 1e9}}
    workspace.save()
    response = owner_client.get(url(workspace))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["k"].value() == 1.0 and form["w_online"].value() == 1000.0 and form["base__talk"].value() == 10_000.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "K must be a number between 1 and 10,000."),
        ({"k": float("nan")}, "K must be a number between 1 and 10,000."),
        ({"w_offline": 1001}, "w_offline must be a number between 0 and 1,000."),
        ({"weights": {"github.stars": float("inf")}},
         "The weight of github.stars must be a number between 0 and 1,000."),
        ({"half_lives": {"talk": 0.5}}, "The half-life of talk must be a number between 1 and 36,500."),
    ],
)
def test_the_model_refuses_parameters_outside_their_ranges_naming_them(kwargs, message):
    with pytest.raises(scoring.ParameterError, match=re.escape(message)):
        Parameters(**kwargs)
