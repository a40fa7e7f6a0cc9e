# teiedition: `make edition` builds the edition, `make test` runs the whole suite. `make help` lists all.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
TEI    ?= tei
OUT    ?= build
JOBS   ?=

# Debian packages: what WeasyPrint needs to lay out and embed fonts (Latin, Cyrillic, Hebrew) ...
EDITION_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core
# ... and what the tests add: jing for TEI conformance, chromium for browser tests, poppler's pdftotext.
TEST_DEBS    := $(EDITION_DEBS) jing chromium poppler-utils
BENCH_DEBS   := $(TEST_DEBS) libsaxonhe-java

.DEFAULT_GOAL := help
.PHONY: help install install-test edition validate site text pdf test test-fast bench lint serve clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { tools/debian-packages python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install teiedition into it
	@tools/debian-packages $(EDITION_DEBS)

install-test: $(VENV)/.installed-test ## Install what the tests need (Python packages, jing, chromium)
	@tools/debian-packages $(TEST_DEBS)

validate: install ## Validate tei/ (schema and rules)
	$(BIN)/teiedition validate $(TEI)

# build validates first and stops with the diagnostics when the corpus has errors.
edition: install ## Validate tei/ and build site, text and PDF into build/
	$(BIN)/teiedition build all $(TEI) --out $(OUT) $(if $(JOBS),--jobs $(JOBS))

site: install ## Build only the HTML site
	$(BIN)/teiedition build html $(TEI) --out $(OUT)

text: install ## Build only the plain text
	$(BIN)/teiedition build text $(TEI) --out $(OUT)

pdf: install ## Build only the print edition (PDF)
	$(BIN)/teiedition build pdf $(TEI) --out $(OUT)

serve: install ## Preview build/site on http://127.0.0.1:8000
	$(BIN)/teiedition serve --out $(OUT)

test: install-test ## Run ruff and the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

lint: install-test ## ruff over the code and the tests
	$(BIN)/ruff check src tests bench

bench: install-test ## Print speed and memory figures (generated corpora, jing, Saxon-HE on Java)
	@tools/debian-packages $(BENCH_DEBS)
	$(BIN)/python bench/run.py

clean: ## Remove build output and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .ruff_cache bench/.corpora
