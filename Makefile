# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
DATA   ?= index

LOCK   := requirements.lock

.PHONY: run test lint format install lock clean-index bench

# The exact versions the tests ran against, checked by hash; then the archive itself.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Pin the dependencies of pyproject.toml (with the test extra), with hashes: run after
# changing a dependency, then `make test`. Pins still allowed are kept; to move every
# one to its newest allowed version: make lock LOCK_FLAGS=--upgrade
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet $(LOCK_FLAGS) --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra test -o $(LOCK) pyproject.toml

run: $(STAMP)
	@if [ "$$($(BIN)/archive --data-dir $(DATA) stats --json | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)["articles"])')" = "0" ]; then \
		$(BIN)/archive --data-dir $(DATA) ingest seeds/; \
	fi
	$(BIN)/archive --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-index:
	rm -rf $(DATA)/whoosh
