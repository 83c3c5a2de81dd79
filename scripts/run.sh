#!/usr/bin/env bash
# The embedded default: SQLite, kombu's file-system broker and console email under var/.
# Serves the dashboard on 127.0.0.1:8000 and runs a Celery worker with embedded beat.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
mkdir -p var/broker/queue var/broker/control var/broker/processed var/results var/staticfiles

$PY manage.py migrate --noinput
$PY manage.py seed_demo --if-empty

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$PY -m celery -A influence worker -B --loglevel=INFO --concurrency=2 \
    --schedule=var/celerybeat-schedule &
pids+=($!)
$PY manage.py runserver 127.0.0.1:8000 --noreload &
pids+=($!)

echo
echo "Influence is running at http://127.0.0.1:8000/"
echo "Log in as demo@example.com with the password demo-influence. Ctrl-C stops everything."
echo
wait -n "${pids[@]}"
