# Everything a fresh machine needs: `make demo` drafts the sample edition offline, `make test` runs it all.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install when the project's dependencies change.
STAMP  := $(VENV)/.installed

.PHONY: demo test lint deps walls typecheck unit evals install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# The machine's pip (23.x) installs trafilatura without lxml_html_clean: upgrade first.
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# --force: each `make demo` drafts the sample anew, though its edition date already has a run.
# mkdir: the checkout's own data folder, which every command run inside the checkout then finds (as git
# finds .git); without it the data would go to the user data directory (`inference-report where`).
demo: install
	mkdir -p .inference-report
	$(BIN)/inference-report draft --sample --writer extractive --force

lint: install
	$(BIN)/ruff check agent tools evals prompts tests scripts
	$(BIN)/ruff format --check agent tools evals prompts tests scripts

# Every package the product imports is declared in pyproject.toml, and nothing declared goes unused.
deps: install
	$(BIN)/deptry .

# The walls between packages: the import-linter contracts in pyproject.toml.
walls: install
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/python -m pytest -q

# The grounding eval gate: fails below a committed floor (evals/baseline.json).
evals: install
	$(BIN)/inference-report eval --suite all --report-dir eval-reports

test: lint deps walls typecheck unit evals

clean:
	rm -rf $(VENV) .inference-report .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
