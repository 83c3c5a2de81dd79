"""Scoring work asked for by a change elsewhere: a subject's history from a day, a workspace's whole history."""

from __future__ import annotations

import datetime as dt

from influence import scoring
from influence.core.models import Workspace
from influence.core.models.scores import ScoreRecompute
from influence.scoring.tasks import recompute_subject, recompute_workspace


def queue_subject_recompute(subject_id: int, since: dt.date) -> None:
    """Rebuild the subject's scores from `since` to today once this transaction commits."""
    recompute_subject.delay_on_commit(subject_id, since.isoformat())


def queue_workspace_recompute(workspace: Workspace) -> ScoreRecompute:
    """Record a recompute of the workspace's history and queue it once the transaction commits."""
    run = ScoreRecompute.objects.create(
        workspace=workspace,
        model_version=scoring.Parameters.from_overrides(workspace.score_parameters).version,
        subjects_total=workspace.subjects.count(),
    )
    recompute_workspace.delay_on_commit(workspace.pk, run.pk)
    return run
