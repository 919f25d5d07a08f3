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

.PHONY: help setup catalog model index eval api run test lint pytest bench clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(API_VENV)/.ready: requirements/api.txt requirements/dev.txt
	@echo "==> Python 3.11 environment for the catalog API: $(API_VENV)"
	rm -rf $(API_VENV)
	$(PY311) -m venv $(API_VENV)
	$(API_PY) -m pip install --quiet --upgrade pip
	$(API_PY) -m pip install --quiet --progress-bar on -r requirements/api.txt -r requirements/dev.txt
	touch $@

setup: $(API_VENV)/.ready ## create the environments that are missing

catalog: $(API_VENV)/.ready ## rebuild knowledge/data from the raw sources (SOURCES=...)
	$(API_PY) -m knowledge.build --sources $(SOURCES)

model: $(API_VENV)/.ready ## build (or verify the cached) offline embedding model
	$(API_PY) -m index.model_build

index: model ## build the search index for the current catalog and model, when missing
	$(API_PY) -m index.build

eval: index ## retrieval metrics on QUESTIONS=file.jsonl (JSON on the last line)
	$(API_PY) -m index.evaluate $(QUESTIONS) --mode $(or $(MODE),hybrid)

api: index ## start the catalog API alone on API_PORT (default 8000)
	$(API_PY) -m uvicorn api.main:app --host 127.0.0.1 --port $(API_PORT)

run: api ## set up what is missing and start every process

lint: $(API_VENV)/.ready ## ruff (lint, format) and mypy
	$(API_PY) -m ruff check .
	$(API_PY) -m ruff format --check .
	$(API_PY) -m mypy

pytest: index
	$(API_PY) -m pytest -q

test: lint pytest ## run every check and test

bench: $(API_VENV)/.ready ## catalog API latency and start-up figures, JSON on the last line
	$(API_PY) -m benchmarks.api_bench

clean: ## remove local databases (caches outside the clone stay)
	rm -rf var
