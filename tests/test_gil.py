import json
import os
import stat
import subprocess
import sys

import pytest

from helpers import cpus, plots
from helpers.experiments import gil as gx

STANDARD = {"free_threaded_build": False, "gil_enabled": True, "interpreter_pool": False}


def test_build_info_has_the_same_keys_everywhere():
    info = gx.build_info()
    assert set(info) == {
        "python",
        "executable",
        "free_threaded_build",
        "gil_enabled",
        "interpreter_pool",
    }
    assert info["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    assert isinstance(info["free_threaded_build"], bool) and isinstance(info["gil_enabled"], bool)


def test_worth_running():
    assert not gx.worth_running(STANDARD)
    assert gx.worth_running(STANDARD | {"free_threaded_build": True})
    assert gx.worth_running(STANDARD | {"interpreter_pool": True})


def test_run_experiment_in_process():
    result = gx.run_experiment(workers=2, tasks=2, n=1_000, repeat=2)
    has_pool = hasattr(__import__("concurrent.futures").futures, "InterpreterPoolExecutor")
    ways = ["sequential", "threads", "processes"] + (["interpreters"] if has_pool else [])
    records = gx.records(result)
    assert sorted((r.way, r.round) for r in records) == sorted((w, n) for n in (0, 1) for w in ways)
    assert all(r.seconds > 0 and r.cpu_seconds > 0 for r in records)
    assert all(r.idle_cores is not None and r.idle_cores >= 0 for r in records)
    assert result["build"] == gx.build_info()
    seconds = gx.best_seconds(result)
    assert list(seconds) == list(gx.WAYS)
    assert (seconds["interpreters"] is not None) == has_pool
    assert (gx.spare_cores(result)["interpreters"] is None) == (not has_pool)
    json.dumps(result)  # the command line prints it


@pytest.mark.parametrize("kwargs", [{"workers": 0}, {"tasks": -1}, {"n": 0}, {"repeat": True}])
def test_run_experiment_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        gx.run_experiment(**kwargs)


def test_command_line_prints_json_on_this_interpreter():
    result = gx.run_in(sys.executable, ["--workers", "2", "--tasks", "2", "--n", "1000"])
    assert result["workers"] == 2 and result["tasks"] == 2 and result["n"] == 1000
    assert {r.way for r in gx.records(result)} >= {"sequential", "threads", "processes"}
    assert result["build"]["python"] == gx.build_info()["python"]
    assert gx.run_in(sys.executable, ["--info"])["executable"]


def test_command_line_works_outside_the_venv_from_any_directory(tmp_path):
    """The module needs only the standard library: a bare interpreter can run it."""
    base = getattr(sys, "_base_executable", sys.executable)
    done = subprocess.run(
        [base, "-I", "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    )
    if done.stdout.strip() != "True":
        pytest.skip("base interpreter older than 3.11")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(gx.REPO_ROOT)
    done = subprocess.run(
        [base, "-m", "helpers.experiments.gil", "--tasks", "1", "--n", "10", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout)["tasks"] == 1


def test_run_in_reports_failures():
    with pytest.raises(RuntimeError, match="failed"):
        gx.run_in(sys.executable, ["--workers", "not-a-number"])
    with pytest.raises(ValueError):
        gx.run_in("")


def _fake_python(tmp_path, name, info):
    """An executable that answers --info like a Python with the given build."""
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\necho '{json.dumps(info)}'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_probe(tmp_path):
    assert gx.probe(sys.executable)["python"] == gx.build_info()["python"]
    assert gx.probe(str(tmp_path / "missing-python")) is None


@pytest.mark.skipif(gx.worth_running(gx.build_info()), reason="this interpreter qualifies itself")
def test_find_experiment_python(tmp_path):
    assert gx.find_experiment_python({"PATH": str(tmp_path)}) is None
    standard = _fake_python(tmp_path, "python3.14", STANDARD)
    assert gx.find_experiment_python({"PATH": str(tmp_path)}) is None, "3.14 without pools? no"
    threaded = _fake_python(tmp_path, "python3.13t", STANDARD | {"free_threaded_build": True})
    assert gx.find_experiment_python({"PATH": str(tmp_path)}) == threaded
    named = _fake_python(tmp_path, "custom", STANDARD | {"interpreter_pool": True})
    assert gx.find_experiment_python({gx.ENV_VAR: named, "PATH": ""}) == named
    assert gx.find_experiment_python({gx.ENV_VAR: standard, "PATH": ""}) is None


def _record(way, seconds, cpu, idle=None, n=0, workers=2):
    return {
        "way": way,
        "workers": 1 if way == "sequential" else workers,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "idle_cores": idle,
        "round": n,
        "workload": "w",
    }


# a loaded machine: the threads got half a core; the processes still more than one
RESULT = {
    "records": [
        _record("sequential", 1.0, 0.5, 1.0, 0),
        _record("threads", 1.0, 0.5, 1.0, 0),
        _record("processes", 1.0, 1.3, 0.0, 0),
        _record("sequential", 1.0, 0.9, 1.0, 1),
        _record("threads", 1.1, 1.08, 1.0, 1),
        _record("processes", 0.55, 1.0, 0.1, 1),
        _record("sequential", 1.0, 0.4, 1.0, 2),
        _record("threads", 1.0, 0.6, 1.0, 2),
        _record("processes", 1.0, 0.5, 0.8, 2),
    ]
}


def test_cores_busy_takes_the_median_round():
    busy = gx.cores_busy(RESULT)
    assert busy["sequential"] == pytest.approx(0.5)
    assert busy["threads"] == pytest.approx(0.6)
    assert busy["processes"] == pytest.approx(1.3)
    assert busy["interpreters"] is None


def test_spare_cores_take_the_median_round(monkeypatch):
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cpus, "usable_cpus", lambda: 2)
    spare = gx.spare_cores(RESULT)
    assert spare["processes"] == pytest.approx(0.1)
    assert spare["sequential"] == pytest.approx(0.0)  # its one worker could not use core 2
    assert spare["interpreters"] is None
    unmeasured = {"records": [_record("processes", 1.0, 1.0, None)]}  # without psutil
    assert gx.spare_cores(unmeasured)["processes"] is None
    with pytest.raises(ValueError):
        gx.spare_cores({"records": []})


def test_best_seconds():
    assert gx.best_seconds(RESULT) == {
        "sequential": 1.0,
        "threads": 1.0,
        "processes": 0.55,
        "interpreters": None,
    }


def test_best_seconds_draw_as_grouped_bars():
    """What 13 draws: each interpreter's best seconds per way, side by side; n/a marked."""
    result = gx.run_experiment(workers=1, tasks=1, n=10, repeat=1)
    fig = plots.grouped_bars(
        {"a": gx.best_seconds(result), "b": gx.best_seconds(RESULT)}, "four ways"
    )
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(gx.WAYS)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(gx.WAYS)
    assert any(text.get_text() == "n/a" for text in ax.texts)  # RESULT has no interpreters
    with pytest.raises(ValueError):
        plots.grouped_bars({}, "none")
    with pytest.raises(TypeError):
        plots.grouped_bars([("a", {"x": 1.0})], "a list")
    with pytest.raises(ValueError, match="same ways"):
        plots.grouped_bars({"a": {"x": 1.0}, "b": {"y": 1.0}}, "mismatch")
