# Podium: `make demo` shows it working, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS := test,web,browser
STAMP  := $(VENV)/.installed
SEED   := ../shared/data/seed/nato-2021-10-07-press-conference.txt
SAMPLE := examples/sample-press-conference.txt
CORPUS := ../shared/data/transcripts
DEMO_DB ?= demo.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo test clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	@if [ -f $(SEED) ]; then f=$(SEED); else f=$(SAMPLE); echo "(../shared not found: using $(SAMPLE))"; fi; \
	$(BIN)/podium parse $$f
	@if [ -d $(CORPUS) ]; then $(BIN)/podium ingest $(SEED) $(CORPUS) --db $(DEMO_DB); \
	else $(BIN)/podium ingest $(SAMPLE) --db $(DEMO_DB); fi || echo "(some files failed to parse; serving the rest)"
	@echo "Podium: serving the demo corpus ($(DEMO_DB)) at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/podium serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
