#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 and Chromium is installed, for the tests.
# Starts a service that is installed but stopped; installs what is missing from Debian's
# packages when running as root; otherwise stops with a message saying what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

pg_answers() {
    $PY - <<'PYEOF' 2>/dev/null
import psycopg2
psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", password="postgres", dbname="postgres", connect_timeout=3).close()
PYEOF
}

redis_answers() {
    $PY -c 'import redis; redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping()' 2>/dev/null
}

wait_for() {  # wait_for <check> <name>
    for _ in $(seq 1 30); do
        if "$1"; then return 0; fi
        sleep 1
    done
    echo "$2 did not answer on 127.0.0.1 after starting it." >&2
    exit 1
}

apt_updated=""
apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "$1 is not installed and this is not root: install Debian's '$2' package (or start $1 on 127.0.0.1) and run make test again." >&2
        exit 1
    fi
    if [ -z "$apt_updated" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    echo "Installing $2 from Debian's packages ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

start_postgres() {
    local version
    # The socket folder lives on a tmpfs that a container or a reboot empties.
    if [ "$(id -u)" = 0 ]; then
        install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    fi
    for version in $(ls /etc/postgresql 2>/dev/null); do
        # "already running" is fine; any other failure shows its message and the wait below reports it.
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
}

if ! pg_answers; then
    if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
        apt_install PostgreSQL postgresql
    fi
    echo "Starting PostgreSQL ..."
    start_postgres
    # A fresh cluster asks for a password over TCP: give postgres the one the tests use.
    if ! pg_answers && [ "$(id -u)" = 0 ]; then
        su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
    fi
    wait_for pg_answers PostgreSQL
fi

if ! redis_answers; then
    if ! command -v redis-server >/dev/null; then
        apt_install Redis redis-server
    fi
    echo "Starting Redis ..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir /tmp >/dev/null
    wait_for redis_answers Redis
fi

if [ ! -x /usr/bin/chromium ]; then
    apt_install Chromium chromium
fi
echo "PostgreSQL, Redis and Chromium are ready."
