# Course tasks. `make lab` to learn, `make test` to check; both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# All notebooks by default; `make notebooks NB=notebooks/01_threads.ipynb` for one.
NB ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout 300
PYTEST_OPTS ?= -p no:cacheprovider

.PHONY: lab test lint format notebooks clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## JupyterLab on 127.0.0.1 with token authentication, at the first notebook
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) --ServerApp.root_dir=notebooks \
		--LabApp.default_url=/lab/tree/00_introduction.ipynb

test: $(STAMP) lint  ## unit tests + strict nbval over every notebook
	$(BIN)/python -m pytest $(PYTEST_OPTS) $(NBVAL_OPTS) tests notebooks

lint: $(STAMP)  ## ruff lint and format check, notebooks included
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

notebooks: $(STAMP)  ## re-execute notebooks in a fresh kernel, top to bottom, and store outputs
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 $(NB)

clean:
	rm -rf $(VENV) build .pytest_cache

# --- Wider checks (issue 5): Python matrix, start methods, browser, Binder, flakes ---
# `make test-matrix`: the same strict suite in .venv-3.X for every CPython >= 3.11 found
# (MATRIX_SKIP=3.11 to leave versions out, e.g. the one `make test` already ran).
MATRIX_SKIP ?=
.PHONY: test-matrix

test-matrix:  ## unit tests + strict nbval in a venv per CPython >= 3.11 found
	$(PYTHON) tests/tools/matrix.py --skip "$(MATRIX_SKIP)" -- $(PYTEST_OPTS) $(NBVAL_OPTS) tests notebooks
