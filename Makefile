# Two commands for a newcomer: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint format bench bench-scale eval chromium postgresql clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/claimscope serve --port $(PORT)

# Debian's Chromium for the Playwright test; Playwright's own browser download
# cannot reach its host here, so the test launches /usr/bin/chromium.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

# Debian's PostgreSQL for the store tests on a server (tests/pgserver.py runs a
# throwaway cluster with its initdb and postgres; nothing is started as a service).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql; fi; }

lint: $(STAMP)
	$(BIN)/ruff format --check lib tests views dashboard.py scripts
	$(BIN)/ruff check lib tests views dashboard.py scripts

format: $(STAMP)
	$(BIN)/ruff format lib tests views dashboard.py scripts
	$(BIN)/ruff check --fix lib tests views dashboard.py scripts

test: $(STAMP) chromium postgresql lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

bench-scale: $(STAMP) postgresql
	$(BIN)/python scripts/bench_scale.py

eval: $(STAMP)
	$(BIN)/claimscope eval polnear ../shared/eval-data/polnear/data/dev
	$(BIN)/claimscope eval newsmtsc --held-aside ../shared/eval-data/newsmtsc/train.jsonl

clean:
	rm -rf $(VENV) .pytest_cache
