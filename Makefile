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

lab: $(STAMP)  ## JupyterLab on 127.0.0.1 with token authentication, at the first notebook
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 notebooks/00_introduction.ipynb

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
