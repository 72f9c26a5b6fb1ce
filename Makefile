# Podium: `make demo` shows it working, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS := test,analyze
STAMP  := $(VENV)/.installed
SEED   := ../shared/data/seed/nato-2021-10-07-press-conference.txt
SAMPLE := examples/sample-press-conference.txt

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

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
