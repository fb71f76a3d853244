# e-assistant — the two commands: `make run` (the product on its embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/e-assistant ingest
	$(BIN)/e-assistant search "初次违法且危害后果轻微并及时改正的可以不罚吗" --top-k 5
	$(BIN)/e-assistant ask "摊贩第一次占道经营，当场改正了，要罚款吗？"

test: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m evals.bench_ingest --store
	$(BIN)/python -m evals.bench_retrieval --data-dir data/eval --rebuild

clean:
	rm -rf data .pytest_cache
