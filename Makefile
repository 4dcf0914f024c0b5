# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Both create .venv (if missing) and install the project into it; the stamp file
# makes a re-run cheap until pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium
REPLICAS ?= 2
CLUSTER_PORT ?= 8080
# deploy/cluster.py needs only the standard library: `cluster-stop` works without the venv.
CLUSTER_PY = $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) deploy/cluster.py

.PHONY: run test lint format typecheck browser services a11y i18n i18n-update bench bench-cluster clean
.PHONY: cluster cluster-stop cluster-status

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

## run: create/migrate the scenario store, then start the app at http://localhost:$(PORT)
## (the app's bytecode is compiled first, so the first visitor does not wait for it;
## compileall writes it even where PYTHONDONTWRITEBYTECODE is set)
run: $(STAMP) i18n
	$(BIN)/python -m compileall -q app.py pages roi_core roi_store roi_ui
	$(BIN)/python -m roi_store
	$(BIN)/python -m roi_ui.serve --server.port $(PORT) --server.headless true

## test: lint, format check, type check, then every test (unit, app, e2e, store on
## PostgreSQL, cluster behind nginx) with coverage
test: lint typecheck i18n browser services a11y
	$(BIN)/python -m pytest --cov --cov-report=term

## i18n: compile the translations (roi_core/locale/<lang>/LC_MESSAGES/messages.po -> .mo);
## the .mo files are built here, never committed
LOCALES := roi_core/locale
PO_FILES := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
i18n: $(PO_FILES:.po=.mo)

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/python scripts/i18n_fill.py --compile --lang $*

## i18n-update: collect every marked string into messages.pot and merge it into each
## language's catalog (new strings arrive empty; tests/core/test_i18n.py names them)
i18n-update: $(STAMP)
	$(BIN)/python scripts/i18n_fill.py --list

## browser: Debian's Chromium for the e2e tests (installed when missing and we are root)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the e2e tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "e2e tests need Debian's chromium (sudo apt-get install -y chromium); they skip without it"; \
	  fi; \
	fi

## a11y: axe-core from the npm registry for the accessibility test, at the version
## tests/a11y/package-lock.json pins (Debian's npm installed when missing and we are root)
a11y: tests/a11y/node_modules/axe-core/axe.min.js

tests/a11y/node_modules/axe-core/axe.min.js: tests/a11y/package-lock.json
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's npm for the accessibility test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	fi
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/a11y --no-audit --no-fund --silent && touch $@; \
	else \
	  echo "!!! npm not found: the accessibility test (axe-core) SKIPS (apt-get install -y npm)"; \
	fi

## services: Debian's postgresql and nginx for the store and cluster tests (installed when
## missing and we are root; their system services are never started: the tests and
## `make cluster` run their own on loopback ports)
services:
	@bash deploy/install-deps.sh

## cluster: PostgreSQL + migration + $(REPLICAS) app replicas + nginx (sticky sessions) at
## http://127.0.0.1:$(CLUSTER_PORT); state and logs in var/cluster (docs/deploy.md)
cluster: $(STAMP) services
	$(CLUSTER_PY) start --replicas $(REPLICAS) --port $(CLUSTER_PORT)

## cluster-stop: stop everything `make cluster` started (also after a crash)
cluster-stop:
	$(CLUSTER_PY) stop

cluster-status:
	$(CLUSTER_PY) status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy roi_core roi_store roi_ui

## bench: every speed figure in one run (engine, table reader, 30 teams joining a room at
## once, the dashboard beside the toy app in headless Chromium), printed with its target,
## then README.md's performance tables rewritten from it (by hand; a few minutes; a
## missed target is reported, never a failure)
bench: $(STAMP) browser
	$(BIN)/python bench/bench_all.py --readme

## bench-cluster: agent-API load on 1 and 2 replicas behind nginx (by hand; minutes)
bench-cluster: $(STAMP) services
	$(BIN)/python bench/bench_cluster.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
