# Build, run and test the Illinois Aftercare Directory. Needs GNU make, bash and python3 >= 3.11.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
PORT ?= 8501
SHARED ?= ../shared/data

# Translations: gettext catalogs under directory/locales (README "Translations"). The app reads the .po
# files themselves, so nothing needs compiling to run or test; i18n-compile checks them and makes .mo files
# for other gettext tools.
LOCALES := directory/locales
POT := $(LOCALES)/messages.pot
PYBABEL := PYTHONPATH=. $(VENV)/bin/pybabel

# Stamps make repeated runs fast: pip runs only when a requirements file is newer than its stamp.
RUN_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp

.PHONY: help venv run test fuzz lint bench build-catalog clean i18n-extract i18n-update i18n-compile

help:
	@echo "make run            start the app on http://localhost:$(PORT) (PORT=... to change)"
	@echo "make test           install test deps and Chromium if needed, run every test layer"
	@echo "make fuzz           a long seeded fuzz pass over the importers and URLs (FUZZ_SECONDS=600)"
	@echo "make lint           ruff check and format check"
	@echo "make bench          run every bench/*.py"
	@echo "make build-catalog  rebuild data/ from $(SHARED)"
	@echo "make i18n-extract   list every English sentence in $(POT) (pybabel extract)"
	@echo "make i18n-update    merge $(POT) into each language's messages.po (pybabel update)"
	@echo "make i18n-compile   check and compile the catalogs to .mo files (pybabel compile)"
	@echo "make venv           create $(VENV) with the runtime requirements"
	@echo "make clean          remove caches and test artifacts (keeps $(VENV))"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: $(PYTHON) must be Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "error: the Python venv module is missing: run 'apt-get install python3-venv' (as root)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: could not create $(VENV): run 'apt-get install python3-venv' (as root)." >&2; exit 1; }

$(RUN_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $@

venv: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(PY) -m components.serve --server.headless true --server.port $(PORT)

test: $(DEV_STAMP)
	@.ci/ensure-system-deps
	$(PY) -m pytest

FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 12

fuzz: $(DEV_STAMP)
	$(PY) -m tests.fuzz.harness --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --out tests/artifacts/fuzz

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(DEV_STAMP)
	@shopt -s nullglob; benches=(bench/*.py); \
	if [ $${#benches[@]} -eq 0 ]; then echo "no bench/*.py yet"; exit 0; fi; \
	for b in "$${benches[@]}"; do echo "== $$b"; $(PY) "$$b" || exit 1; done

build-catalog: $(RUN_STAMP)
	$(PY) -m directory build --shared $(SHARED) --out data

i18n-extract: $(RUN_STAMP)
	$(PYBABEL) extract -F babel.cfg -o $(POT) --project "Illinois Aftercare Directory" \
	  --copyright-holder "Illinois Aftercare Directory" --add-location=file --no-wrap .

i18n-update: i18n-extract
	$(PYBABEL) update -i $(POT) -d $(LOCALES) -D messages --no-wrap --ignore-pot-creation-date

i18n-compile: $(RUN_STAMP)
	$(PYBABEL) compile -d $(LOCALES) -D messages --statistics

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache tests/artifacts
