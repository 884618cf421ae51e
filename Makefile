# Everyday commands. Needs only Python 3.11+ (with venv) and make.
#
#   make run     create .venv, install requirements.txt, migrate, load the demo
#                data and serve http://127.0.0.1:8000 (HOST=... PORT=8101 to
#                serve elsewhere; links in mails and on proofs follow)
#   make test    install requirements-dev.txt (and axe-core with npm ci), then
#                ruff, the migrations check and pytest (DATABASE_URL and
#                REQUIRE_ALL pass through)
#   make bench   print the benchmark figures, one JSON line each
#   make lint    ruff check and ruff format --check, nothing changed
#   make format  ruff format and ruff check --fix
#   make clean   remove .venv and caches (keeps db.sqlite3)
#
# Stamp files in .venv record what has been installed, so a repeated run does
# not reinstall until a requirements file changes. Translations are committed
# as .mo files: nothing here needs gettext.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Without SITE_URL, a development server's links (mails, QR codes, feeds) point at http://HOST:PORT (config/env.py).
SERVE_ENV := HOST=$(HOST) PORT=$(PORT)
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --no-input --quiet

.DEFAULT_GOAL := help

.PHONY: help run serve migrate seed install install-dev test lint ruff-check format-check format \
	migrations-check pytest bench clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# --- environment -------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }

$(VENV)/.stamp-run: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@ $(VENV)/.stamp-run

install: $(VENV)/.stamp-run

install-dev: $(VENV)/.stamp-dev

# --- local server ------------------------------------------------------------

run: $(VENV)/.stamp-run
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py seed_demo
	$(SERVE_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

migrate: $(VENV)/.stamp-run
	$(BIN)/python manage.py migrate --noinput

# seed_demo prints the demo logins itself.
seed: migrate
	$(BIN)/python manage.py seed_demo

serve: $(VENV)/.stamp-run
	$(SERVE_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# --- checks ------------------------------------------------------------------
# Run in this order; `make -k test` (as .ci/run does) runs every step even when
# an earlier one fails and still fails at the end.

test: lint migrations-check pytest

lint: ruff-check format-check

ruff-check: $(VENV)/.stamp-dev
	$(BIN)/ruff check .

format-check: $(VENV)/.stamp-dev
	$(BIN)/ruff format --check .

migrations-check: $(VENV)/.stamp-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

# axe-core for the browser tests (tests/browser), as package-lock.json pins it. Without npm the browser
# tests skip (and fail under REQUIRE_ALL=1, as in CI, where .ci/run installs npm and chromium).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser tests will skip." >&2; fi

pytest: $(VENV)/.stamp-dev node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

format: $(VENV)/.stamp-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.stamp-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles node_modules test-output
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
