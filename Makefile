# Two commands for a fresh machine:  make serve   and   make test
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test install index eval eval-milvus lint bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY)"; exit 1; }
	$(PY) -m venv $(VENV)

# torch first, the CPU build (pip takes it from this machine's wheel cache); then the rest,
# so sentence-transformers never pulls a CUDA build.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[st,dev,milvus]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(BIN)/policyqa build

# Host, port and workers: POLICYQA_HOST / POLICYQA_PORT / POLICYQA_WORKERS (127.0.0.1, 8000, 1),
# e.g. `POLICYQA_PORT=8080 make serve` or `make serve POLICYQA_PORT=8080`. The address is checked
# before the (incremental) build, so a taken port fails at once.
serve: $(STAMP)
	$(BIN)/policyqa serve --check
	$(BIN)/policyqa build
	$(BIN)/policyqa serve

test: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider
	$(BIN)/lint-imports
	$(BIN)/mypy

# Every gold set over its own index (seeds; seeds + extra; seeds + ../shared/corpus-dev2, used in
# place), the plain rankings beside the product, and the gate against the committed baseline.
eval: $(STAMP)
	$(BIN)/policyqa eval --all --baseline eval/baseline-all.json --json var/eval-all.json

# The same gold sets through the Milvus backend (Milvus Lite files under var/), for comparison.
eval-milvus: $(STAMP)
	POLICYQA_BACKEND=milvus POLICYQA_MILVUS_URI=var/milvus.db $(BIN)/policyqa build
	POLICYQA_BACKEND=milvus POLICYQA_MILVUS_URI=var/milvus.db $(BIN)/policyqa eval --gold eval/gold/dev.jsonl --json var/eval-dev-milvus.json
	POLICYQA_BACKEND=milvus POLICYQA_MILVUS_URI=var/milvus-eval.db $(BIN)/policyqa build --corpus corpus/raw --corpus corpus/extra
	POLICYQA_BACKEND=milvus POLICYQA_MILVUS_URI=var/milvus-eval.db $(BIN)/policyqa eval --gold eval/gold/extra.jsonl --json var/eval-extra-milvus.json

lint: $(STAMP)
	$(BIN)/ruff check policyqa corpus question index service eval tests
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf var
