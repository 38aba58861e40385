# InnoGraph — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CKSUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-dev-$(CKSUM)
RUN_STAMP := $(VENV)/.installed-run-$(CKSUM)
HOST ?= 127.0.0.1
PORT ?= 8000
export INNOGRAPH_DATA_DIR ?= var

.PHONY: install install-run run demo serve test lint format system-deps neo4j-start neo4j-stop reference-bundle bench clean

## Everything: the product, editable, with the dev extra (tests, linters, Playwright, benchmarks).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@ $(RUN_STAMP)

## What running needs and nothing more: the runtime dependencies, no dev extra (README: figures).
## --no-compile: Python compiles only the modules a run imports, on first import, instead of pip
## compiling every file of scipy, spaCy, pandas… up front.
$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --no-compile -e .
	@rm -f $(VENV)/.installed-run-*; touch $@

install: $(STAMP)

install-run: $(RUN_STAMP)

## make run: build the demo graph on the embedded store and serve http://127.0.0.1:8000/ (HOST, PORT)
run: install-run
	$(BIN)/innograph demo build --scale 1
	$(BIN)/innograph serve --host $(HOST) --port $(PORT)

serve: install-run
	$(BIN)/innograph serve --host $(HOST) --port $(PORT)

## System packages the suite drives for real: Chromium (and a CJK font, so screenshots show Chinese) for the browser tests, docker-compose
## to validate docker-compose.yml (it needs no Docker engine for `config`), and a JDK: the local Neo4j compiles
## InnoGraph's warm-up extension (docs/NEO4J.md).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || missing="$$missing fonts-wqy-microhei"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v javac >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## make test: lint, then the whole suite against the embedded store and a real local Neo4j
test: install system-deps lint
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graph ingest demo api analytics match text innograph_cli
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

neo4j-start:
	scripts/neo4j-local start

## make reference-bundle: the reference lists the Docker image carries, into build/reference
reference-bundle:
	python3 scripts/reference_bundle.py

neo4j-stop:
	scripts/neo4j-local stop

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .cache var .pytest_cache .mypy_cache .ruff_cache
