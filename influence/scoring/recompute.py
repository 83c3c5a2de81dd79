"""Rebuilding a workspace's score history when its parameters change, with progress a page can show.

The progress lives in a ScoreRecompute row: the worker writes it, the
parameters page polls it. Today's scores are written first, in the daily
run's batches; then the same recompute_history that `manage.py
recompute_scores` runs rebuilds each history up to yesterday, one subject at a time.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils import timezone

from influence import scoring
from influence.core.models import Subject, Workspace
from influence.core.models.scores import ScoreRecompute
from influence.scoring import daily, snapshots

# Progress is written at most this often (seconds): enough for a progress bar,
# without turning a long recompute into a stream of UPDATEs.
PROGRESS_INTERVAL = 0.5

State = ScoreRecompute.State


def latest_recompute(workspace_id: int) -> ScoreRecompute | None:
    return ScoreRecompute.objects.filter(workspace_id=workspace_id).order_by("-created_at", "-pk").first()


def progress_json(run: ScoreRecompute | None) -> dict[str, Any]:
    """What the parameters page shows about the latest recompute."""
    if run is None:
        return {"state": None}
    return {
        "state": run.state,
        "state_label": run.get_state_display(),
        "model_version": run.model_version,
        "percent": run.percent,
        "subjects_done": run.subjects_done,
        "subjects_total": run.subjects_total,
        "days_done": run.days_done,
        "days_total": run.days_total,
        "error": run.error,
        "finished": run.state in (State.DONE, State.FAILED, State.SUPERSEDED),
    }


def _superseded(run: ScoreRecompute) -> bool:
    """A newer recompute of the same workspace makes this one pointless."""
    return ScoreRecompute.objects.filter(workspace_id=run.workspace_id, pk__gt=run.pk).exists()


def _history_days(subject_id: int) -> int:
    start = snapshots.first_input_day(subject_id)
    return (snapshots.today() - start).days + 1 if start and start <= snapshots.today() else 0


def run_workspace_recompute(workspace_id: int, run_id: int | None = None) -> int:
    """Rebuild every subject's history in the workspace; returns the number of days written.

    Idempotent: running it again rewrites the same snapshots. A recompute that a
    newer one replaced stops at the next subject.
    """
    run = ScoreRecompute.objects.filter(pk=run_id, workspace_id=workspace_id).first() if run_id else None
    if run is None:
        workspace = Workspace.objects.get(pk=workspace_id)
        run = ScoreRecompute.objects.create(
            workspace=workspace,
            model_version=scoring.Parameters.from_overrides(workspace.score_parameters).version,
        )
    if run.state in (State.DONE, State.SUPERSEDED):
        return 0
    subject_ids = list(Subject.objects.filter(workspace_id=workspace_id).order_by("pk").values_list("pk", flat=True))
    history_days = {pk: _history_days(pk) for pk in subject_ids}
    run.state = State.RUNNING
    run.subjects_total = len(subject_ids)
    run.subjects_done = 0
    run.days_total = sum(history_days.values())
    run.days_done = 0
    run.save()
    written = 0
    last_report = time.monotonic()
    today = snapshots.today()

    def report(done: int, _total: int) -> None:
        nonlocal last_report
        if time.monotonic() - last_report >= PROGRESS_INTERVAL:
            last_report = time.monotonic()
            ScoreRecompute.objects.filter(pk=run.pk).update(days_done=written + done, updated_at=timezone.now())

    try:
        if not _superseded(run):
            # Today's scores first, in the daily run's batches (a few queries per few hundred
            # subjects): the dashboard shows the new parameters at once, the histories follow.
            # Subjects with no input yet have no history, hence no snapshot to write.
            written = daily.snapshot_subjects([pk for pk in subject_ids if history_days[pk]], today)
            run.days_done = written
            run.save(update_fields=["days_done", "updated_at"])
        for subject_id in subject_ids:
            if _superseded(run):
                run.state = State.SUPERSEDED
                break
            # Up to yesterday, today being written: with no earlier input this writes nothing and
            # only drops the days that no input explains any more.
            written += snapshots.recompute_history(subject_id, until=today - dt.timedelta(days=1), progress=report)
            run.subjects_done += 1
            run.days_done = written
            run.save(update_fields=["subjects_done", "days_done", "updated_at"])
        else:
            run.state = State.DONE
    except Exception as exc:
        # Recorded for the page, then raised again so the worker logs it.
        run.state = State.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        run.finished_at = timezone.now()
        run.save()
    return written
