# Two commands do all the set-up: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types validate fonts audio clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Run the app (desktop window; `make run ARGS=--web` serves it to a browser on 127.0.0.1:8550).
run: $(STAMP)
	$(BIN)/python -m app $(ARGS)

## Lint, type-check, validate content, then every test layer.
test: check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: lint types validate

lint: $(STAMP)
	$(BIN)/ruff check app sync tests scripts bench
	$(BIN)/ruff format --check app sync tests scripts bench

types: $(STAMP)
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/python -m app.cli validate

## Rebuild assets/fonts from Debian's fonts-noto-core and fonts-noto-cjk (fonttools, dev extra);
## prints the font payload per language. `ARGS=--check` compares a rebuild with assets/fonts.
fonts: $(STAMP)
	$(BIN)/python scripts/build_fonts.py $(ARGS)

## Build the audio clips (normal and slow) into assets/audio (`ARGS="--dry-run"` shows the plan).
audio: $(STAMP)
	$(BIN)/python -m app.cli audio $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
