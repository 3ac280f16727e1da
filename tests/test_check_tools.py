"""The issue-5 check tools in tests/tools: notebook detection, interpreters, stress tally."""

import importlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
matrix = importlib.import_module("matrix")
nblist = importlib.import_module("nblist")
stress = importlib.import_module("stress")


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    nb = {
        "cells": [{"cell_type": kind, "source": source, "metadata": {}} for kind, source in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path


def test_process_pool_notebooks_are_found_by_their_code_not_their_prose(tmp_path):
    pools = write_notebook(
        tmp_path / "09_p.ipynb",
        [("code", "with ProcessPoolExecutor(2, mp_context=mp_context()) as pool: ...")],
    )
    prose = write_notebook(
        tmp_path / "05_t.ipynb",
        [("markdown", "Next: ProcessPoolExecutor."), ("code", "ThreadPoolExecutor()")],
    )
    assert nblist.uses_process_pools(pools)
    assert not nblist.uses_process_pools(prose)


def test_notebook_kinds_for_the_quota_and_macos_runs(tmp_path):
    cpu = write_notebook(tmp_path / "17_e.ipynb", [("code", "print(cpus.usable_cpus())")])
    memory = write_notebook(tmp_path / "09_m.ipynb", [("code", "import psutil")])
    threads = write_notebook(tmp_path / "01_t.ipynb", [("code", "Thread(target=f).start()")])
    assert nblist.of_kind(cpu, "cpu-bound") and not nblist.of_kind(cpu, "psutil")
    assert nblist.of_kind(memory, "psutil") and not nblist.of_kind(memory, "cpu-bound")
    assert not any(nblist.of_kind(threads, kind) for kind in nblist.KINDS)


def test_course_notebooks_are_numbered_ones_in_order(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("01_b.ipynb", "00_a.ipynb", "scratch.ipynb"):
        write_notebook(tmp_path / "notebooks" / name, [])
    assert [p.name for p in nblist.course_notebooks(tmp_path)] == ["00_a.ipynb", "01_b.ipynb"]


def test_matrix_finds_this_python_and_honours_skip():
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert matrix.version_of(sys.executable) == sys.version_info[:2]
    assert matrix.version_of("/no/such/python") is None
    found = matrix.interpreters(set())
    assert all(tuple(map(int, v.split("."))) >= matrix.MIN_VERSION for v in found)
    assert here not in matrix.interpreters({here})


JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="notebooks.01_threads.ipynb" name="Cell 0" />
<testcase classname="notebooks.01_threads.ipynb" name="Cell 1"><failure message="x" /></testcase>
<testcase classname="notebooks.01_threads.ipynb" name="Cell 2"><error message="leak" /></testcase>
<testcase classname="notebooks.01_threads.ipynb" name="Cell 3"><skipped message="s" /></testcase>
</testsuite></testsuites>"""


def test_stress_tallies_failures_and_teardown_errors_per_cell(tmp_path):
    junit = tmp_path / "run.xml"
    junit.write_text(JUNIT)
    assert stress.outcomes(junit) == {
        "notebooks.01_threads.ipynb::Cell 0": "passed",
        "notebooks.01_threads.ipynb::Cell 1": "failed",
        "notebooks.01_threads.ipynb::Cell 2": "failed",
        "notebooks.01_threads.ipynb::Cell 3": "skipped",
    }


@pytest.mark.parametrize("runs", ["0", "-2"])
def test_stress_needs_at_least_one_run(runs, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["stress.py", "--runs", runs])
    with pytest.raises(SystemExit):
        stress.main()


def test_run_step_classifies_exit_codes():
    runs = importlib.import_module("runs")
    assert runs.run_step([sys.executable, "-c", "pass"])["result"] == "pass"
    assert runs.run_step([sys.executable, "-c", "raise SystemExit(5)"])["result"] == "no tests"
    failed = runs.run_step([sys.executable, "-c", "raise SystemExit(1)"])
    assert (failed["result"], failed["code"]) == ("FAIL", 1)
