#!/usr/bin/env bash
# The whole suite against PostgreSQL and Redis on 127.0.0.1 (scripts/ensure_services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/influence}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
export TEST_OUTPUT_DIR="${TEST_OUTPUT_DIR:-$PWD/var/test-output}"
# whitenoise warns about a missing STATIC_ROOT on every request otherwise.
mkdir -p "$TEST_OUTPUT_DIR" var/staticfiles
# Two processes by default (the CI machine's two cores); each gets its own test database,
# Celery queue and cache prefix (tests/testenv.py). TEST_WORKERS=0 runs in this process alone.
exec .venv/bin/pytest -p no:cacheprovider -n "${TEST_WORKERS:-2}" "$@"
