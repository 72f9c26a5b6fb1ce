# Podium: `make demo` shows it working, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS := test,embed,reference,postgres,pandas,web,browser,export,convokit,analyze,train,cluster,cjk-bench
STAMP  := $(VENV)/.installed
SEED   := ../shared/data/seed/nato-2021-10-07-press-conference.txt
SAMPLE := examples/sample-press-conference.txt
CORPUS := ../shared/data/transcripts
DEMODB := demo.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo lint test clean

# Every extra, so the whole suite runs (pyproject.toml says what each is for).
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	@if [ -f $(SEED) ]; then f=$(SEED); else f=$(SAMPLE); echo "(../shared not found: using $(SAMPLE))"; fi; \
	$(BIN)/podium parse $$f | head -40
	@echo; echo "== podium ingest (skips files already in $(DEMODB)), then podium search =="
	@if [ -d $(CORPUS) ]; then src="$(CORPUS) ../shared/data/seed"; else src=examples; fi; \
	$(BIN)/podium ingest $$src --db $(DEMODB) || echo "(some files failed: listed above)"
	$(BIN)/podium search '"national security" OR sanctions' --kind answer --limit 3 --db $(DEMODB)
	@echo; echo "== podium serve: the demo corpus ($(DEMODB)) at http://$(HOST):$(PORT)/  (Ctrl-C stops it) =="
	$(BIN)/podium serve --db $(DEMODB) --host $(HOST) --port $(PORT)

# The quality gate CI runs before the tests: lint (settings in pyproject.toml) and strict types.
lint: install
	$(BIN)/ruff check
	$(BIN)/mypy --strict src

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
