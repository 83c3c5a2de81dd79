# Influence: `make run` serves the dashboard with a worker; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test install install-dev services lint clean

$(PY):
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)." >&2; exit 1; }

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	@scripts/run.sh

services:
	@scripts/ensure_services.sh

lint: install-dev
	$(VENV)/bin/ruff check .

test: install-dev services lint
	@scripts/test.sh

clean:
	rm -rf var/ .pytest_cache
