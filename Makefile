# TalentPark — `make demo` runs a demo zone, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON := $(shell scripts/find-python)
UV := .tools/bin/uv
VENV := .venv
TP := $(VENV)/bin/talentpark
SCALE ?= seed
SEED ?= 20260101
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup demo serve test test-fast lint fmt clean check-python messages

help:
	@echo "make demo   — install, migrate, generate the demo zone (SCALE=$(SCALE)) and serve on http://$(HOST):$(PORT)"
	@echo "make test   — lint, migration check and the whole test suite (DATABASE_URL selects PostgreSQL)"

check-python:
	@test -n "$(PYTHON)" || { scripts/find-python; exit 1; }
	@$(PYTHON) -V

$(UV): | check-python
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: check-python $(VENV)/.synced
	@scripts/ensure-system-deps

demo: setup
	$(TP) migrate --no-input
	TALENTPARK_OTP_REQUIRED_ROLES=$${TALENTPARK_OTP_REQUIRED_ROLES-} \
	TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS=$${TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS-0} \
	$(TP) demo --scale $(SCALE) --seed $(SEED) --host $(HOST) --port $(PORT)

serve: setup
	$(TP) serve --host $(HOST) --port $(PORT)

lint: setup
	$(VENV)/bin/ruff check src bench
	$(VENV)/bin/ruff format --check src bench
	TALENTPARK_VAR=$$(mktemp -d) $(TP) makemigrations --check --dry-run
	TALENTPARK_VAR=$$(mktemp -d) $(VENV)/bin/mypy src/talentpark
	TALENTPARK_VAR=$$(mktemp -d) $(VENV)/bin/python scripts/i18n-catalog --check
	$(VENV)/bin/lint-imports

fmt: setup
	$(VENV)/bin/ruff check --fix src bench
	$(VENV)/bin/ruff format src bench

test: setup lint
	@scripts/ensure-system-deps --browser
	TALENTPARK_VAR=$$(mktemp -d) $(VENV)/bin/pytest -p no:cacheprovider -n 2

test-fast: setup
	TALENTPARK_VAR=$$(mktemp -d) $(VENV)/bin/pytest -p no:cacheprovider -m "not browser" -x

clean:
	rm -rf $(VENV) .tools var .pytest_cache .mypy_cache .ruff_cache

messages: setup
	$(VENV)/bin/python scripts/i18n-catalog
