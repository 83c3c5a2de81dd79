import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as NoAnswer

from influence.core.tasks import ping
from tests.conftest import worker_environment

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parent.parent


def test_a_real_worker_runs_a_task_end_to_end(celery_worker_factory):
    celery_worker_factory()
    result = ping.delay("hello from the test")
    assert result.get(timeout=20) == "hello from the test"


def test_a_worker_started_without_queues_listens_to_every_queue_of_the_run(celery_worker_factory, settings):
    """What `make run`'s and compose's single worker do: collection, scoring, email and the rest, all prefixed."""
    from influence.celery import app

    celery_worker_factory(concurrency=1)
    queues = app.control.inspect(timeout=5).active_queues()
    (listened,) = queues.values()
    prefix = settings.CELERY_QUEUE_PREFIX
    assert prefix.startswith("test-")
    names = sorted(f"{prefix}{kind}" for kind in ("celery", "collection", "email", "scoring"))
    assert sorted(q["name"] for q in listened) == names


def test_each_kind_of_task_goes_to_its_own_queue(settings):
    from influence.celery import app

    def queue_of(name):
        return app.amqp.router.route({}, name)["queue"].name

    prefix = settings.CELERY_QUEUE_PREFIX
    assert queue_of("influence.tasks.collection.collect_account_task") == f"{prefix}collection"
    assert queue_of("influence.tasks.collection.requeue_expired_claims") == f"{prefix}collection"
    assert queue_of("influence.tasks.scores.run_pending_work") == f"{prefix}scoring"
    assert queue_of("influence.tasks.scores.snapshot_chunk") == f"{prefix}scoring"
    assert queue_of("influence.tasks.digests.send_digests_batch") == f"{prefix}email"
    assert queue_of("influence.tasks.health.ping") == f"{prefix}celery"


def test_a_task_whose_worker_process_dies_goes_back_to_the_queue():
    """Every task is safe to run again: acknowledged once run, and given back when its process is killed."""
    from influence.celery import app

    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    # Longer than any countdown (COLLECT_MAX_WAIT) plus the longest time limit, so Redis never gives a task twice.
    longest = max(task.time_limit or app.conf.task_time_limit for task in app.tasks.values()
                  if task.name.startswith("influence."))
    assert app.conf.broker_transport_options["visibility_timeout"] > longest + 900


def test_the_embedded_file_system_broker_carries_a_task_to_a_real_worker(tmp_path, monkeypatch):
    """The broker of `make run`: folders under the var directory, no Redis."""
    # Celery lets these variables win over an app's own configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    env = worker_environment(INFLUENCE_VAR_DIR=str(tmp_path))
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        env.pop(name, None)
    queue = f"{env['CELERY_QUEUE_PREFIX']}celery"
    broker = tmp_path / "broker"
    for folder in ("queue", "control", "processed"):
        (broker / folder).mkdir(parents=True)
    (tmp_path / "results").mkdir()

    # A client configured the way settings.py configures the file-system broker.
    client = Celery("client", broker="filesystem://", backend=f"file://{tmp_path / 'results'}")
    client.conf.broker_transport_options = {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "control_folder": str(broker / "control"),
    }
    client.conf.accept_content = ["json"]

    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "influence", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        result = client.send_task("influence.tasks.health.ping", args=["through files"], queue=queue)
        try:
            answer = result.get(timeout=30)
        except NoAnswer:
            pytest.fail(f"no answer within 30 s; the worker said:\n{log.read_text()}")
        assert answer == "through files"
        assert "Connected to filesystem://" in log.read_text()
    finally:
        # The round trip is what this test is about; a warm shutdown of this transport
        # takes seconds (make run's stop is checked by hand), so end the worker at once.
        worker.kill()
        worker.wait(timeout=20)
    assert not os.listdir(broker / "queue")
