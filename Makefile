# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Both create .venv (if missing) and install the project into it; the stamp file
# makes a re-run cheap until pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint format typecheck browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

## run: create/migrate the scenario store, then start the app at http://localhost:$(PORT)
run: $(STAMP)
	$(BIN)/python -m roi_store
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

## test: lint, format check, type check, then every test (unit, app, e2e) with coverage
test: lint typecheck browser
	$(BIN)/python -m pytest --cov --cov-report=term

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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy roi_core roi_store roi_ui

## bench: speed and memory figures of the engine (run by hand; prints, never fails)
bench: $(STAMP)
	$(BIN)/python bench/bench_core.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
