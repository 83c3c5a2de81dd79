import pytest

from influence.tasks.health import ping

pytestmark = pytest.mark.worker


def test_a_real_worker_runs_a_task_end_to_end(celery_worker_factory):
    celery_worker_factory()
    result = ping.delay("hello from the test")
    assert result.get(timeout=20) == "hello from the test"
