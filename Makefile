# Watchfloor: `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Natural Earth 1:110m country shapes (public domain) for the dashboard map, from the npm package
# world-atlas; kept in the venv, not in the repository.
ATLAS_PACKAGE := world-atlas@2.0.2
ATLAS := $(VENV)/share/world-atlas/countries-110m.json

.PHONY: demo test lint venv clean eval bench

venv: $(STAMP) $(ATLAS)

# pip is upgraded first: the venv's pip 23.2 skips lxml_html_clean, which breaks trafilatura.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ATLAS): | $(STAMP)
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --silent $(ATLAS_PACKAGE) >/dev/null \
		&& tar xzf world-atlas-*.tgz --strip-components=1 package/countries-110m.json package/LICENSE \
		&& rm world-atlas-*.tgz

demo: $(STAMP) $(ATLAS)
	$(BIN)/watchfloor demo --db out/demo.db --out out

# The browser tests drive the Debian chromium package (and its driver) through Playwright.
test: $(STAMP) $(ATLAS)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	$(BIN)/python -m pytest -q --durations=15

# Accuracy on the reference data in ../shared (skipped where absent) -> EVALUATION.md.
eval: $(STAMP)
	$(BIN)/python -m eval.run

# Ingestion throughput, pipeline against bare spaCy (0-2 Dask workers; scale: all 37,554
# articles on 2 and 1 workers, going on from the chunks kept), search and briefing latency up to
# 1M articles -> bench/results/ -> BENCHMARKS.md. SECTIONS=ingest,throughput,scale,latency: only
# those (the others' results are kept); LIMIT=N: first N articles only
# (printed, not kept); ARTICLES=N: pipeline vs bare on N articles; SIZES=10000,100000: replicated
# store sizes; ENGINE=postgresql POSTGRES_URL=postgresql://...: latency on PostgreSQL;
# OUTPUT=FILE: where the report is written.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(if $(LIMIT),--limit $(LIMIT)) \
		$(if $(SECTIONS),--sections $(SECTIONS)) $(if $(ARTICLES),--throughput-articles $(ARTICLES)) \
		$(if $(ENGINE),--engine $(ENGINE)) $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL)) \
		$(if $(SIZES),--store-sizes $(SIZES)) $(if $(OUTPUT),--output $(OUTPUT))

lint: $(STAMP)
	$(BIN)/ruff check src tests eval bench
	$(BIN)/ruff format --check src tests eval bench

clean:
	rm -rf out .pytest_cache
