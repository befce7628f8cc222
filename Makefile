# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers; every browser test goes to one of them, so one Chromium serves them all.
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test setup venv venv-bench database migrate demo lint format messages bench soak stop-db

run: setup
	@$(PY) -c "import socket, sys; s = socket.socket(); sys.exit('Port $(PORT) is already in use: try  make run PORT=8001' if s.connect_ex(('$(HOST)', $(PORT))) == 0 else 0)"
	@echo
	@echo "annotator is starting on http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

setup: venv database migrate demo

# The stamp tracks pyproject.toml, so a changed dependency list reinstalls.
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $$(bin/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The bench's load generator and profilers, for make bench, make soak and make test (which
# runs the bench's smoke test); make run does without them.
venv-bench: $(VENV)/.installed-bench
$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@touch $@

database: venv
	@$(PY) bin/database.py > /dev/null

migrate: database
	$(PY) manage.py migrate --no-input

demo: migrate
	@DEBUG=1 $(PY) manage.py setup_demo

test: venv-bench database lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, the apps' layers (pyproject.toml [tool.importlinter]), types, and bandit's security
# checks (medium severity and up; each accepted finding is marked `# nosec` where it stands).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -c pyproject.toml -r annotator --quiet --severity-level medium

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The French catalogue: collect the marked strings of the code and templates into
# locale/fr/LC_MESSAGES/django.po (new ones untranslated, changed ones fuzzy), then compile
# django.mo. Translate, run it again, commit both files. tests/test_translations.py checks.
MESSAGES_IGNORE := --ignore=$(VENV) --ignore=tests --ignore=bench --ignore=demo --ignore=docs --ignore=var --ignore=bin
messages: venv
	DEBUG=1 $(PY) manage.py makemessages --locale=fr --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(PY) manage.py compilemessages --locale=fr $(MESSAGES_IGNORE)

# Then the built-in suggestions' quality on the shared dev set, and their speed (it exits
# non-zero when a target is missed).
bench: setup venv-bench
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.suggestions

soak: setup venv-bench
	$(PY) -m bench.soak

stop-db:
	@$(PY) bin/database.py --stop
