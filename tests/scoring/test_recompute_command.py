"""manage.py recompute_scores: inline with a progress bar, or queued; clear errors on bad input."""

import datetime as dt
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from influence.core.models import ScoreSnapshot
from tests.conftest import ROOT, worker_environment
from tests.scoring.conftest import START
from tests.support.waiting import wait_until


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("recompute_scores", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_recompute_rebuilds_a_subject_with_a_progress_bar(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    out, err = run("--subject", str(history.pk))
    days = (dt.date(2026, 3, 1) - START).days + 1
    assert f"Recomputed {days} day(s) of 1 subject(s)." in out
    assert f"[{'#' * 30}] {days}/{days} days" in err
    assert ScoreSnapshot.objects.filter(subject=history).count() == days


def test_since_rewrites_only_the_days_from_it(history, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    run("--subject", str(history.pk), "--since", "2026-02-20")
    assert ScoreSnapshot.objects.filter(subject=history).count() == 10


def test_a_bad_since_is_a_clear_error(history):
    with pytest.raises(CommandError, match="YYYY-MM-DD, not “2026-13-01”"):
        run("--since", "2026-13-01")


def test_an_unknown_subject_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No subject with id 999999"):
        run("--subject", "999999")


def test_a_bad_since_exits_non_zero_without_a_traceback(transactional_db):
    result = subprocess.run(
        [sys.executable, "manage.py", "recompute_scores", "--since", "yesterday"],
        cwd=ROOT, env=worker_environment(), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "--since must be a date in the form YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_queue_sends_one_task_per_subject_to_the_workers(history, celery_worker_factory):
    celery_worker_factory(concurrency=1)
    out, _ = run("--queue")
    assert "Queued the recompute of 1 subject(s)." in out
    wait_until(lambda: ScoreSnapshot.objects.filter(subject=history).exists(), what="the worker's snapshots")
