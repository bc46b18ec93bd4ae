# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# Tests run against real services; override these to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/iop
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	CELERY_TASK_ALWAYS_EAGER=0 REQUIRE_2FA=1 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
SCREENSHOTS ?= test-artifacts/screenshots
# Security checks of the code and of the installed dependencies (pyproject.toml [tool.bandit]).
BANDIT_PATHS := accounts api audit calibration care contacts intake iop oncall programs review screening scripts gunicorn.conf.py manage.py
# pip-audit skips (and lists) a package it cannot look up; PIP_AUDIT_FLAGS=--strict fails then.
PIP_AUDIT_FLAGS ?=

.PHONY: run test lint bench worker clean messages

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) is required (install Python 3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -q -e '.[test]'
	touch $@

## Compile the translations (locale/*/LC_MESSAGES/django.po -> .mo, not committed). Django's
## compilemessages runs GNU gettext's msgfmt, which checks each placeholder too.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "ERROR: msgfmt (GNU gettext) is required to compile the translations: apt-get install gettext (macOS: brew install gettext)."; exit 1; }
	$(PY) manage.py compilemessages --ignore '$(VENV)/*'

## Run the app on the embedded default: SQLite, Celery eager, demo accounts printed.
run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	REQUIRE_2FA=0 $(PY) manage.py runserver 127.0.0.1:8000

## Run the whole suite against PostgreSQL and Redis (browser tests included), ruff, mypy,
## bandit and pip-audit.
test: $(VENV)/.installed-test messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -c pyproject.toml -r $(BANDIT_PATHS) -q
	$(VENV)/bin/pip-audit --progress-spinner off $(PIP_AUDIT_FLAGS)
	$(TEST_ENV) $(PY) scripts/check_services.py
	./scripts/ensure_chromium.sh
	$(TEST_ENV) SCREENSHOT_DIR=$(SCREENSHOTS) $(VENV)/bin/pytest $(PYTEST_ARGS)
	@echo "Screenshots of the main pages: $(SCREENSHOTS)/"

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(VENV)/.installed-test
	$(PY) bench/engine.py

## A Celery worker with beat against the configured broker, taking every queue (production
## runs a worker per queue: see docs/deploy.md).
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A iop worker -B -Q urgent,mail,default,bulk --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
