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
# Notebook runs below add tests/tools to pytest's arguments: it holds no tests but loads
# tests/conftest.py, whose leak check (threads, child processes, listening sockets) runs after
# each notebook. `make test` gets it through tests/.
MATRIX_SKIP ?=
N ?= 10
E2E_STAMP := $(VENV)/.installed-e2e
BINDER_VENV := .venv-binder
.PHONY: test-matrix test-start-methods e2e binder stress

test-matrix:  ## unit tests + strict nbval in a venv per CPython >= 3.11 found (MATRIX_SKIP=3.11 ...)
	$(PYTHON) tests/tools/matrix.py --skip "$(MATRIX_SKIP)" -- $(PYTEST_OPTS) $(NBVAL_OPTS) tests notebooks

test-start-methods: $(STAMP)  ## the process-pool notebooks under nbval with fork, spawn and forkserver
	$(BIN)/python tests/tools/start_methods.py -- $(PYTEST_OPTS) $(NBVAL_OPTS) tests/tools

$(E2E_STAMP): $(STAMP) tests/e2e/requirements.txt
	$(BIN)/python -m pip install --quiet -r tests/e2e/requirements.txt
	touch $@

e2e: $(E2E_STAMP)  ## every notebook in real JupyterLab + headless Debian Chromium (screenshots in build/e2e)
	COURSE_E2E=1 $(BIN)/python -m pytest $(PYTEST_OPTS) -rA tests/e2e

$(BINDER_VENV)/.installed: tests/binder/requirements.txt
	test -x $(BINDER_VENV)/bin/python || $(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet -r tests/binder/requirements.txt
	touch $@

binder: $(STAMP) $(BINDER_VENV)/.installed  ## repo2docker --no-build: conda buildpack, python pin, postBuild
	COURSE_REPO2DOCKER=$(BINDER_VENV)/bin/repo2docker $(BIN)/python -m pytest $(PYTEST_OPTS) tests/binder

stress: $(STAMP)  ## the nbval suite N times (default 10) with one core busy; per-cell table, build/stress.json
	$(BIN)/python tests/tools/stress.py --runs $(N) -- $(PYTEST_OPTS) $(NBVAL_OPTS) tests/tools notebooks

.PHONY: bench
bench: $(STAMP)  ## time the I/O and CPU experiments outside Jupyter, bigger; writes build/bench.json
	$(BIN)/python benchmarks/run.py
