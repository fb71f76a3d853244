# e-assistant — the two commands: `make run` (the product on its embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-test browser postgres run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# torch first, pinned: the machine's local CPU wheel (an unpinned torch would pull CUDA builds)
$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

setup-test: $(BIN)/.installed-test

# Debian's Chromium for the real-browser UI test (plus CJK fonts so the screenshot is readable)
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# Debian's PostgreSQL server for the Store contract suite on PostgreSQL (#24; the tests start it as a plain user)
postgres:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

run: setup
	$(BIN)/e-assistant serve

test: setup-test browser postgres
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m evals.bench_ingest --store
	$(BIN)/python -m evals.bench_retrieval --data-dir data/eval --rebuild --rerank
	$(BIN)/python -m evals.bench_web --seconds 30 --clients 8
	$(BIN)/e-assistant eval discretion
	$(BIN)/python -m evals.bench_quiz
	$(BIN)/python -m evals.bench_case

clean:
	rm -rf data .pytest_cache artifacts
