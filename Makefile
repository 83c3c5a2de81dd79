# Influence: `make run` serves the dashboard with a worker; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test install install-dev services lint clean

# A venv left half-made (no pip: Debian without python3-venv) is removed so the next try starts clean.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Influence needs Python 3.11 or newer ($(PYTHON) is $$($(PYTHON) -V 2>&1))." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) && $(PY) -m pip --version >/dev/null 2>&1 \
		|| { rm -rf $(VENV); echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)." >&2; exit 1; }

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

services: install-dev
	@scripts/ensure_services.sh

# Style, then the layers written in pyproject.toml, then types. mypy's Django plugin imports the
# settings, which need DEBUG for their development defaults.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(VENV)/bin/mypy

test: install-dev services lint
	@scripts/test.sh

clean:
	rm -rf var/ .pytest_cache .mypy_cache .import_linter_cache
