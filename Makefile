# Trợ lý Dịch vụ công — one entry point for setting up, running, testing and measuring.
# Slow things (virtual environments, the converted model, the index) are cached outside the clone
# under $(CACHE_DIR), keyed by the files that determine them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CACHE_DIR ?= $(HOME)/.cache/tro-ly-dvc
SOURCES ?= ../shared/data/sources
QUESTIONS ?= tests/data/questions.jsonl
API_PORT ?= 8000
export API_PORT

PY311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11.*/bin/python3.11) $(shell command -v python3.11) python3)
API_KEY := $(shell cat requirements/api.txt requirements/dev.txt | sha256sum | cut -c1-12)
API_VENV := $(CACHE_DIR)/venv-api-$(API_KEY)
API_PY := $(API_VENV)/bin/python

# Rasa server and action server: Python 3.10 (rasa 3.6 runs on Python <= 3.10).
ACTIONS_PORT ?= 5055
RASA_PORT ?= 5005
export ACTIONS_PORT RASA_PORT
PY310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python3.10) $(shell command -v python3.10) python3.10)
RASA_KEY := $(shell sha256sum requirements/rasa.txt | cut -c1-12)
RASA_VENV := $(CACHE_DIR)/venv-rasa-$(RASA_KEY)
RASA_PY := $(RASA_VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
# The trained model is keyed by everything that determines it: training data, domain, config, the
# tokenizer code (bot/*.py, the shared normaliser and segmenter) and the Rasa requirements.
# Staff intent corrections (api/staff/corrections_export.py): an NLU file outside the clone, written from
# the staff database when it holds applied ones; then it is training data and part of the model's key.
# Asked only where a staff database exists, so a checkout without one keeps its key and costs nothing.
CORRECTIONS_NLU ?= $(CACHE_DIR)/corrections/nlu-corrections.yml
CORRECTIONS_DATA := $(if $(and $(wildcard $(API_PY)),$(or $(STAFF_DATABASE_URL),$(wildcard var/staff.db))),\
	$(shell $(API_PY) -m api.staff.corrections_export nlu $(CORRECTIONS_NLU) 2>/dev/null))
RASA_MODEL_INPUTS := $(sort $(shell find bot/data -type f -name '*.yml') domain.yml config.yml $(wildcard bot/*.py common/*.py) \
	vitext/normalize.py vitext/segment.py requirements/rasa.txt $(CORRECTIONS_DATA))
RASA_MODEL_KEY := $(shell sha256sum $(RASA_MODEL_INPUTS) | sha256sum | cut -c1-12)
RASA_MODEL_DIR := $(CACHE_DIR)/rasa-models
RASA_MODEL_NAME := tro-ly-dvc-$(RASA_MODEL_KEY)
RASA_MODEL := $(RASA_MODEL_DIR)/$(RASA_MODEL_NAME).tar.gz
# Rasa's environment: its cache outside the clone (no .rasa/ here), no telemetry, the repository
# root importable (bot.tokenizer, actions, vitext.normalize).
RASA_ENV := RASA_CACHE_DIRECTORY=$(CACHE_DIR)/rasa-cache RASA_TELEMETRY_ENABLED=false PYTHONPATH=$(CURDIR)
# What the tests need to start the real catalog API, action server and Rasa themselves, from either
# environment; TRO_LY_REQUIRE_E2E turns a missing piece into a failure instead of a skip.
STACK_ENV := $(RASA_ENV) API_PYTHON=$(API_PY) RASA_PYTHON=$(RASA_PY) RASA_MODEL=$(RASA_MODEL) TRO_LY_REQUIRE_E2E=1
BOT_TEST_ENV := $(STACK_ENV)
# Tests run by the Rasa environment (Python 3.10); everything else runs in the catalog API's.
RASA_TESTS := tests/bot tests/actions tests/scaleout

.PHONY: help setup system-deps catalog audit model index eval e2e api run test lint pytest bench load scaleout clean train bot-test nlu-eval

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# No file prerequisites: the folder name already holds the hash of the requirements, and a fresh
# clone's newer file times must not rebuild a cached environment.
$(API_VENV)/.ready:
	@echo "==> Python 3.11 environment for the catalog API: $(API_VENV)"
	rm -rf $(API_VENV)
	$(PY311) -m venv $(API_VENV)
	$(API_PY) -m pip install --quiet --upgrade pip
	$(API_PY) -m pip install --quiet --progress-bar on -r requirements/api.txt -r requirements/dev.txt
	touch $@

$(RASA_VENV)/.ready:
	@echo "==> Python 3.10 environment for Rasa and the action server: $(RASA_VENV)"
	rm -rf $(RASA_VENV)
	$(PY310) -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install --quiet --upgrade pip
	$(RASA_PY) -m pip install --quiet --progress-bar on -r requirements/rasa.txt
	touch $@

setup: $(API_VENV)/.ready $(RASA_VENV)/.ready ## create the environments that are missing

$(RASA_MODEL): | $(RASA_VENV)/.ready
	@echo "==> training the Rasa model $(RASA_MODEL_NAME) (data, domain or config changed)"
	rm -rf $(RASA_MODEL_DIR)/tmp-$(RASA_MODEL_KEY)
	$(RASA_ENV) $(RASA) train --data bot/data $(CORRECTIONS_DATA) --domain domain.yml --config config.yml \
		--out $(RASA_MODEL_DIR)/tmp-$(RASA_MODEL_KEY) --fixed-model-name $(RASA_MODEL_NAME)
	mv $(RASA_MODEL_DIR)/tmp-$(RASA_MODEL_KEY)/$(RASA_MODEL_NAME).tar.gz $@
	rmdir $(RASA_MODEL_DIR)/tmp-$(RASA_MODEL_KEY)

train: $(RASA_MODEL) ## train the Rasa model when its data, domain, config or tokenizer changed
	@echo "model: $(RASA_MODEL)"

catalog: $(API_VENV)/.ready ## rebuild knowledge/data from the raw sources (SOURCES=...)
	$(API_PY) -m knowledge.build --sources $(SOURCES)

audit: $(API_VENV)/.ready ## every attribute answer of every record checked against its raw source text (SOURCES=...)
	$(API_PY) -m scripts.audit --sources $(SOURCES)

model: $(API_VENV)/.ready ## build (or verify the cached) offline embedding model
	$(API_PY) -m modelbuild

index: model ## build the search index and train its decision model, when missing
	$(API_PY) -m index.build
	$(API_PY) -m index.decision_train

eval: index ## retrieval metrics on QUESTIONS=file.jsonl (JSON on the last line)
	$(API_PY) -m index.evaluate $(QUESTIONS) --mode $(or $(MODE),hybrid)

e2e: index $(RASA_MODEL) ## what citizens read: QUESTIONS=file.jsonl through the REST channel (JSON last)
	$(STACK_ENV) $(RASA_PY) -m benchmarks.e2e $(QUESTIONS) $(if $(E2E_RASA_URL),--rasa-url $(E2E_RASA_URL))

api: index ## start the catalog API alone on API_PORT (default 8000)
	$(API_PY) -m uvicorn api.main:app --host 127.0.0.1 --port $(API_PORT)

run: index $(RASA_MODEL) ## set up what is missing and start every process
	@mkdir -p var
	$(RASA_ENV) API_PYTHON=$(API_PY) RASA_MODEL=$(RASA_MODEL) $(RASA_PY) -m deploy.run

lint: $(API_VENV)/.ready ## ruff (lint, format) and mypy
	$(API_PY) -m ruff check .
	$(API_PY) -m ruff format --check .
	$(API_PY) -m mypy

pytest: index $(RASA_MODEL) $(RASA_VENV)/.ready
	$(STACK_ENV) $(API_PY) -m pytest -q $(addprefix --ignore=,$(RASA_TESTS))

bot-test: index $(RASA_MODEL) ## Rasa: data validation, test stories, tokenizer, action and end-to-end tests
	$(RASA_ENV) $(RASA) data validate --data bot/data --domain domain.yml --config config.yml
	$(RASA_ENV) $(RASA) test core --stories bot/tests --model $(RASA_MODEL) --fail-on-prediction-errors \
		--out var/rasa-test
	$(BOT_TEST_ENV) $(RASA_PY) -m pytest -q $(RASA_TESTS)

nlu-eval: $(RASA_VENV)/.ready ## intent macro-F1 on a fixed 80/20 split of bot/data/nlu (JSON on the last line)
	$(RASA_ENV) $(RASA_PY) scripts/nlu_eval.py

system-deps: ## install (as root, through apt) the system services the tests start, or say how
	@scripts/system_deps.sh

test: system-deps lint pytest bot-test ## run every check and test

bench: index $(RASA_MODEL) ## catalog API figures, then REST replies at 10 concurrent conversations (JSON last)
	$(API_PY) -m benchmarks.api_bench
	$(STACK_ENV) $(RASA_PY) -m benchmarks.load --profile default --concurrency 10 --think-time 0 --duration 60

load: index $(RASA_MODEL) ## 50 simulated citizens for 2 minutes, one-machine default then the scale-out profile
	$(STACK_ENV) $(RASA_PY) -m benchmarks.load --profile default
	$(STACK_ENV) $(RASA_PY) -m benchmarks.load --profile scaleout

scaleout: index $(RASA_MODEL) ## start the scale-out profile (PostgreSQL, Redis, 2 × Rasa, 2 × API, nginx)
	$(STACK_ENV) $(RASA_PY) -m deploy.scaleout

clean: ## remove local databases (caches outside the clone stay)
	rm -rf var
