# Course tasks. `make lab` to learn, `make test` to check; both create .venv on first use.
# `make help` lists every target; `make` alone only sets up .venv (the `setup` target).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Who installs requirements.txt into .venv: auto (uv when it can, else pip), uv, or pip.
INSTALLER ?= auto
# The uv bootstrapped into .venv when none is on PATH. Pinned like every tool of the course, so a
# new uv release cannot change how a learner's fresh .venv is resolved and installed; it is the
# version `make bench-setup` measured. A uv already on PATH is used as it is.
UV_VERSION := 0.13.9
# Extra options for `make lab`, e.g. LAB_ARGS="--no-browser --ServerApp.port=9999".
LAB_ARGS ?=
# All notebooks by default; `make notebooks NB=notebooks/01_threads.ipynb` for one.
NB ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout 300
PYTEST_OPTS ?= -p no:cacheprovider

.PHONY: setup help lab test lint format lock notebooks clean
.DEFAULT_GOAL := setup

# Exit status 0 on Python 3.11 or newer (and a clean failure on anything older, Python 2 too).
PY_NEW_ENOUGH := -c 'import sys; sys.exit(sys.version_info < (3, 11))'
# A .venv whose python no longer runs (its base Python was upgraded or removed) or is older than
# 3.11 is out of date whatever its stamp's time says: .FORCE-VENV makes the stamp's recipe run.
VENV_BROKEN := $(if $(wildcard $(STAMP)),$(shell $(BIN)/python $(PY_NEW_ENOUGH) 2>/dev/null || echo yes))
.PHONY: .FORCE-VENV
.FORCE-VENV:

# .venv is reused only if its python runs, is 3.11+ and its last install finished ($(STAMP) is
# removed while installing); otherwise it is rebuilt. PYTHON is checked before anything is created.
# Installer: the uv on PATH, else uv bootstrapped into .venv by pip (PYTHON's pip with --python,
# as a venv without pip takes 0.1 s to create and one with pip 5 s; else the venv's own, through
# ensurepip); pip when INSTALLER=pip, or when uv cannot be had or fails. uv also installs pip, for
# `%pip` in a notebook. Then the course's JupyterLab defaults (jupyter-settings/).
$(STAMP): requirements.txt pyproject.toml $(if $(VENV_BROKEN),.FORCE-VENV)
	@if test -f $(STAMP) && $(BIN)/python $(PY_NEW_ENOUGH) 2>/dev/null; then \
		echo "Updating $(VENV): requirements.txt or pyproject.toml changed"; \
	else \
		if ! $(PYTHON) $(PY_NEW_ENOUGH) 2>/dev/null; then \
			found="not found"; \
			if command -v $(PYTHON) >/dev/null 2>&1; then found=$$($(PYTHON) --version 2>&1 | head -n 1); fi; \
			echo "The course needs Python 3.11 or newer; PYTHON=$(PYTHON) is: $$found." >&2; \
			echo "Fix: name a newer one, e.g. 'make lab PYTHON=python3.13', or install Python 3.11+" >&2; \
			echo "(python.org, your package manager, or 'uv python install 3.13')." >&2; \
			exit 1; \
		fi; \
		if test -e $(VENV); then \
			echo "Rebuilding $(VENV): its install did not finish, or its python is missing or older than 3.11"; \
			rm -rf $(VENV); \
		fi; \
		echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv --without-pip $(VENV) || { rm -rf $(VENV); exit 1; }; \
	fi
	@rm -f $(STAMP)
	@rm -rf concurrency_course_helpers.egg-info  # left by setuptools builds before uv_build: a stale copy on sys.path
	@set -e; uv=; \
	if test "$(INSTALLER)" != pip; then \
		uv=$$(command -v uv) || uv=; \
		if test -z "$$uv" && test -x $(BIN)/uv; then uv=$(BIN)/uv; fi; \
		if test -z "$$uv"; then \
			echo "Bootstrapping uv $(UV_VERSION) into $(VENV)"; \
			if $(BIN)/python -m pip --version >/dev/null 2>&1; then \
				bootstrap="$(BIN)/python -m pip"; \
			elif $(PYTHON) -m pip --version >/dev/null 2>&1; then \
				bootstrap="$(PYTHON) -m pip --python $(BIN)/python"; \
			else \
				$(BIN)/python -m ensurepip --default-pip >/dev/null || true; \
				bootstrap="$(BIN)/python -m pip"; \
			fi; \
			if $$bootstrap install --quiet uv==$(UV_VERSION); then uv=$(BIN)/uv; fi; \
		fi; \
	fi; \
	if test -n "$$uv"; then \
		echo "Installing requirements.txt into $(VENV) with $$uv"; \
		if "$$uv" pip install --quiet --python $(BIN)/python -r requirements.txt pip; then \
			exit 0; \
		fi; \
		echo "uv could not install requirements.txt" >&2; \
	fi; \
	if test "$(INSTALLER)" = uv; then echo "INSTALLER=uv: no fallback to pip" >&2; exit 1; fi; \
	echo "Installing requirements.txt into $(VENV) with pip"; \
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null || { \
		echo "No pip for $(VENV): on Debian or Ubuntu, 'apt install python3-venv' first." >&2; exit 1; }; \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@$(BIN)/python jupyter-settings/install.py
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install requirements.txt (what `make` alone does; lab and test do it too)

help:  ## list every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_.-]+:.*## / {printf "  %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Variables: PYTHON=$(PYTHON) INSTALLER=$(INSTALLER) (auto, uv or pip) VENV=$(VENV) LAB_ARGS, NB, N, MATRIX_SKIP"

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## JupyterLab on 127.0.0.1 with token authentication, at the first notebook
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) --ServerApp.root_dir=notebooks \
		--LabApp.default_url=/lab/tree/00_introduction.ipynb $(LAB_ARGS)

test: $(STAMP) lint  ## unit tests + strict nbval over every notebook
	$(BIN)/python -m pytest $(PYTEST_OPTS) $(NBVAL_OPTS) tests notebooks

lint: $(STAMP)  ## ruff lint and format check, notebooks included
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(STAMP)  ## pin what requirements.txt's top-level packages need, in it and environment.yml (uv, index)
	$(BIN)/python tests/tools/lock.py

notebooks: $(STAMP)  ## re-execute notebooks in a fresh kernel, top to bottom, and store outputs
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 $(NB)

clean:  ## remove .venv, build/ and pytest's cache
	rm -rf $(VENV) build .pytest_cache concurrency_course_helpers.egg-info

# --- Wider checks (issue 5): Python matrix, start methods, browser, Binder, flakes ---
# The leak check (threads, child processes, listening sockets left after each notebook) lives in
# the root conftest.py, which pytest loads for every run from the repository.
MATRIX_SKIP ?=
START_METHODS ?= fork,spawn,forkserver
N ?= 10
E2E_STAMP := $(VENV)/.installed-e2e
BINDER_VENV := .venv-binder
.PHONY: test-matrix test-start-methods e2e binder stress

test-matrix:  ## unit tests + strict nbval in a venv per CPython >= 3.11 found (MATRIX_SKIP=3.11 ...)
	$(PYTHON) tests/tools/matrix.py --skip "$(MATRIX_SKIP)" -- $(PYTEST_OPTS) $(NBVAL_OPTS) tests notebooks

# CPython 3.14 and 3.15 from Debian sid's own packages, in a chroot made with debootstrap and
# cached in /var/tmp/course-debian-sid (COURSE_DEBIAN_TREE=...). Both need root.
# DEBIAN_PYTHONS_OPTS=--worktree tests the working tree instead of HEAD; --verbose shows make's output.
DEBIAN_PYTHONS_OPTS ?=
.PHONY: test-debian-pythons notebooks-3.14
test-debian-pythons:  ## make test on a fresh clone with Debian sid's python3.14 and python3.15 (root)
	$(PYTHON) tests/tools/debian_pythons.py test $(DEBIAN_PYTHONS_OPTS)

notebooks-3.14:  ## make notebooks with Debian sid's python3.14, outputs stored in this tree (root; NB=...)
	$(PYTHON) tests/tools/debian_pythons.py notebooks --nb "$(NB)" $(DEBIAN_PYTHONS_OPTS)

test-start-methods: $(STAMP)  ## the process-pool notebooks under nbval with fork, spawn and forkserver
	$(BIN)/python tests/tools/start_methods.py --methods $(START_METHODS) -- $(PYTEST_OPTS) $(NBVAL_OPTS)

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
	$(BIN)/python tests/tools/stress.py --runs $(N) -- $(PYTEST_OPTS) $(NBVAL_OPTS) notebooks

# Where learners run it (issues 10.4, 10.5, 14.2): a container's CPU quota, macOS's psutil
# permissions, a company proxy; and learners re-running and interrupting cells.
DEAD_PROXY := http://127.0.0.1:9
PROXY_VARS := HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy
PROXY_NOTEBOOKS = $(shell grep -lE 'NoticeServer|notice_client' $(NB))
.PHONY: test-cpu-quota test-access-denied test-dead-proxy test-survive
# The quota and macOS runs take the notebooks whose output can depend on them (NB=... for others).
QUOTA_NB ?= $(shell $(PYTHON) tests/tools/nblist.py cpu-bound)
DENIED_NB ?= $(shell $(PYTHON) tests/tools/nblist.py psutil)
test-cpu-quota: $(STAMP)  ## strict nbval inside a 1-CPU cgroup quota of the CPU-bound notebooks (root, cgroup v1)
	$(BIN)/python tests/tools/cpu_quota.py -- $(PYTEST_OPTS) $(NBVAL_OPTS) $(QUOTA_NB)

test-access-denied: $(STAMP)  ## strict nbval of the psutil notebooks, psutil denied other processes (as macOS)
	$(BIN)/python tests/tools/access_denied.py -- $(PYTEST_OPTS) $(NBVAL_OPTS) $(DENIED_NB)

test-dead-proxy: $(STAMP)  ## the demo-server notebooks and tests with every proxy variable set to a dead proxy
	env -u NO_PROXY -u no_proxy $(foreach v,$(PROXY_VARS),$(v)=$(DEAD_PROXY)) \
		$(BIN)/python -m pytest $(PYTEST_OPTS) $(NBVAL_OPTS) tests/test_fetch.py $(PROXY_NOTEBOOKS)

test-survive: $(STAMP)  ## every code cell run twice; interrupt 0.3 s into each pool/thread/server cell
	$(BIN)/python tests/tools/survive.py $(NB)

.PHONY: bench
bench: $(STAMP)  ## time the I/O and CPU experiments outside Jupyter, bigger; writes build/bench.json
	$(BIN)/python benchmarks/run.py

# --- Set-up (issues 10 and 14): README's commands without make; the time to a first JupyterLab ---
# BENCH_SETUP_OPTS=--quick measures the time to JupyterLab's URL only (skips `make test`, ~4 min each).
BENCH_SETUP_OPTS ?=
.PHONY: test-setup bench-setup
test-setup: $(STAMP)  ## README's set-up without make (pip, uv, postBuild) for real in temp copies, ~2 min
	COURSE_SETUP=1 $(BIN)/python -m pytest $(PYTEST_OPTS) -rA tests/test_setup.py

bench-setup:  ## fresh clone -> JupyterLab URL, and -> `make test` done, uv vs pip; build/bench-setup.json
	$(PYTHON) benchmarks/setup.py --python "$(PYTHON)" $(BENCH_SETUP_OPTS)

LEARNER_DIR ?= build/learner
.PHONY: learner-copy test-learner-copy
learner-copy:  ## notebooks without outputs and solutions, for a teacher to hand out (LEARNER_DIR)
	$(PYTHON) tests/tools/learner_copy.py $(LEARNER_DIR)

test-learner-copy: $(STAMP) learner-copy  ## run the learner copy top to bottom: no cell may fail
	cd $(LEARNER_DIR) && $(abspath $(BIN))/python -m pytest $(PYTEST_OPTS) --nbval-lax --nbval-current-env \
		--nbval-cell-timeout 300 --rootdir=. -c /dev/null *.ipynb

