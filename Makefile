# Watchfloor: `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean eval bench

venv: $(STAMP)

# pip is upgraded first: the venv's pip 23.2 skips lxml_html_clean, which breaks trafilatura.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/watchfloor demo --db out/demo.db --out out

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Accuracy on the reference data in ../shared (skipped where absent) -> EVALUATION.md.
eval: $(STAMP)
	$(BIN)/python -m eval.run

# Ingestion throughput on the AllSides set in ../shared -> BENCHMARKS.md (LIMIT=N: quick run).
bench: $(STAMP)
	$(BIN)/python -m bench.run $(if $(LIMIT),--limit $(LIMIT))

lint: $(STAMP)
	$(BIN)/ruff check src tests eval bench
	$(BIN)/ruff format --check src tests eval bench

clean:
	rm -rf out .pytest_cache
