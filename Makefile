# mfgpolicy — the front door. `make` alone lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Batch targets draw off-screen; `make lab` leaves the backend to Jupyter, so figures show inline.
HEADLESS := MPLBACKEND=Agg

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml setup.py requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,lab]'
	touch $@

install: $(VENV)/.installed ## create .venv and install the project (runs when pyproject.toml changes)

run: install ## the main job: validate, build the database, print the headline comparison, figures, Excel, data browser
	$(HEADLESS) $(BIN)/mfgpolicy run

test: install ## run the whole test suite
	$(HEADLESS) $(BIN)/python -m pytest

validate: install ## check raw and curated data
	$(BIN)/mfgpolicy validate

data: install ## validate and build data/build/mfgpolicy.duckdb
	$(BIN)/mfgpolicy build

figures: install ## regenerate every figure into figures/ (PDF + PNG, English and Chinese)
	$(HEADLESS) $(BIN)/mfgpolicy figures

font: install ## rebuild the figures' TrueType font from mplfonts' Noto Sans CJK SC (after data brings new characters)
	$(BIN)/python -m mfgpolicy.outputs.figures.fontbuild .

excel: install ## write the Excel summary to data/build/mfgpolicy-summary.xlsx
	$(BIN)/mfgpolicy export

site: install ## write the data browser to data/build/site/ (open index.html; no server needed)
	$(BIN)/mfgpolicy site

panel: install ## write the panel tables (Stata .dta, with a codebook) to data/build/panel/
	$(BIN)/mfgpolicy export --format dta

release: install ## write the data release data/build/mfgpolicy-data-<version>.zip (tables, texts, guide, licences)
	$(BIN)/mfgpolicy release

wheel: install ## build the wheel (code + bundled data) into dist/
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation --wheel-dir dist .

lab: install ## start JupyterLab on notebooks/ with the project's environment as the kernel (figures inline)
	env -u MPLBACKEND $(BIN)/jupyter lab --notebook-dir=notebooks

bench: install ## benchmarks: 10k/100k/1M pipeline vs pandas, extraction, latencies -> benchmarks/results.json
	$(BIN)/python -m benchmarks.run

lint: install ## ruff check
	$(BIN)/ruff check mfgpolicy tests benchmarks

format: install ## ruff format
	$(BIN)/ruff format mfgpolicy tests benchmarks

clean: ## remove built files (not the venv)
	rm -rf data/build dist build *.egg-info .pytest_cache

.PHONY: help install run test validate data figures font excel site panel release wheel lab bench lint format clean
