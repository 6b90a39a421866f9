# The README's commands. `make demo` runs the main job on embedded defaults
# (SQLite, local-memory cache); `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo before-after test lint typecheck nox bench bench-quick clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: venv
	$(BIN)/python scripts/demo.py

# The README's before/after table for the reference backend.
before-after: venv
	$(BIN)/python scripts/demo.py --markdown

# Library tests, then the reference backend's own suite (strict mode on),
# each on SQLite + local memory and again on PostgreSQL + Redis.
test: venv
	$(BIN)/python scripts/run-tests.py

# Benchmarks: ratios against no instrumentation and peers (bench/RESULTS.md).
bench: venv
	$(BIN)/python -m bench

bench-quick: venv
	$(BIN)/python -m bench --quick

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

nox: venv
	$(BIN)/nox

clean:
	rm -rf $(VENV) .nox build dist *.egg-info
