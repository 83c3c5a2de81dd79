"""Loaded by pytest before Django (see pyproject.toml): the suite's environment.

The tests use the real services the product uses: PostgreSQL and Redis on
127.0.0.1 (make test makes sure they answer). Each test process gets its own
Celery queue and cache prefix so parallel runs never take each other's tasks.
"""

import os
import uuid

# xdist's workers inherit the controller's environment: add the worker's name.
_run = f"{uuid.uuid4().hex[:8]}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/influence")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ["CELERY_QUEUE_PREFIX"] = f"test-{_run}-"
os.environ["CACHE_KEY_PREFIX"] = f"test-{_run}"
os.environ["CELERY_BROKER_KEY_PREFIX"] = f"test-{_run}:"
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The fake APIs play Mastodon instances and feeds on 127.0.0.1 (any port); the
# outbound guard's own tests set this to what they need.
os.environ.setdefault("COLLECT_ALLOWED_PRIVATE_HOSTS", "127.0.0.1:*")
