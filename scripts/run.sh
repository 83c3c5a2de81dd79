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

# Each server runs in a session of its own, so that Ctrl-C (or a TERM to our process group)
# reaches only this script, which then stops them in order: a worker whose pool processes
# are signalled directly can hang in its shutdown.
pids=()
stop() {
    trap - INT TERM HUP EXIT
    echo "Stopping the web server and the worker ..."
    local pid alive
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # A warm shutdown lets running tasks finish; after 15 s whatever is left is killed.
    for _ in $(seq 1 30); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop INT TERM HUP EXIT

# Without -Q the worker listens to every queue (collection, scoring, email, celery).
setsid $PY -m celery -A influence worker -B --loglevel=INFO --concurrency=2 </dev/null &
pids+=($!)
setsid $PY manage.py runserver 127.0.0.1:8000 --noreload </dev/null &
pids+=($!)

echo
echo "Influence is running at http://127.0.0.1:8000/"
echo "Log in as demo@example.com with the password demo-influence. Ctrl-C stops everything."
echo
wait -n "${pids[@]}"
