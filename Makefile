# Two commands: `make run` serves the bundled knowledge base; `make check` runs lint, types and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The Nu Html Checker for the markup tests: a jar from the npm registry, run with the machine's Java.
VNU := .tools/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run check install lint types test clean mutation

run: $(STAMP)
	$(BIN)/kb serve

check: $(STAMP) $(VNU)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Mutation testing of the core modules (see [tool.mutmut] in pyproject.toml); slow, so not part of `check`.
mutation: $(STAMP)
	$(BIN)/pip install --quiet mutmut==3.8.1
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/python bench/mutation_report.py --fail-under 85

$(VNU):
	npm install --silent --no-audit --no-fund --prefix .tools vnu-jar@26.9.27

clean:
	rm -rf $(VENV) .tools index/whoosh index/kb.sqlite3* index/.reindex.lock
