import json
import os
import stat
import subprocess
import sys

import pytest

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
    seconds = result["seconds"]
    assert list(seconds) == ["sequential", "threads", "processes", "interpreters"]
    assert all(seconds[k] > 0 for k in ("sequential", "threads", "processes"))
    has_pool = hasattr(__import__("concurrent.futures").futures, "InterpreterPoolExecutor")
    assert (seconds["interpreters"] is not None) == has_pool
    assert result["build"] == gx.build_info()
    assert set(result["cpu_seconds"]) == set(seconds)
    assert result["cpu_seconds"]["sequential"] > 0
    assert len(result["rounds"]) == 2
    assert set(result["rounds"][0]) == {k for k, v in seconds.items() if v is not None}
    assert all(len(way) == 3 and way[2] >= 0 for way in result["rounds"][0].values())
    assert gx.cores_idle(result)["interpreters"] is None or has_pool


@pytest.mark.parametrize("kwargs", [{"workers": 0}, {"tasks": -1}, {"n": 0}, {"repeat": True}])
def test_run_experiment_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        gx.run_experiment(**kwargs)


def test_command_line_prints_json_on_this_interpreter():
    result = gx.run_in(sys.executable, ["--workers", "2", "--tasks", "2", "--n", "1000"])
    assert result["workers"] == 2 and result["tasks"] == 2 and result["n"] == 1000
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


RESULT = {
    "seconds": {"sequential": 1.0, "threads": 1.1, "processes": 0.55, "interpreters": None},
    "cpu_seconds": {"sequential": 0.9, "threads": 0.95, "processes": 1.0, "interpreters": None},
    "rounds": [
        # a loaded machine: the threads got half a core; the processes still more than one
        {"sequential": [1.0, 0.5], "threads": [1.0, 0.5], "processes": [1.0, 1.3]},
        {"sequential": [1.0, 0.9], "threads": [1.1, 1.08], "processes": [0.55, 1.0]},
        {"sequential": [1.0, 0.4], "threads": [1.0, 0.6], "processes": [1.0, 0.5]},
    ],
}


def test_cores_busy():
    busy = gx.cores_busy(RESULT)
    assert busy["sequential"] == pytest.approx(0.9)
    assert busy["processes"] == pytest.approx(1.0 / 0.55)
    assert busy["interpreters"] is None


def test_cores_idle_takes_the_median_round():
    rounds = [
        {"sequential": [1.0, 0.5, 1.0], "processes": [1.0, 1.3, 0.0]},
        {"sequential": [1.0, 0.9, 0.2], "processes": [0.5, 1.0, 0.1]},
        {"sequential": [1.0, 0.4, 0.0], "processes": [1.0, 0.5, 0.8]},
    ]
    seconds = {"sequential": 1.0, "processes": 0.5, "interpreters": None}
    idle = gx.cores_idle({"seconds": seconds, "rounds": rounds})
    assert idle == {"sequential": 0.2, "processes": 0.1, "interpreters": None}
    rounds[0]["processes"][2] = None  # measured without psutil
    assert gx.cores_idle({"seconds": seconds, "rounds": rounds})["processes"] is None
    with pytest.raises(ValueError):
        gx.cores_idle({"seconds": seconds, "rounds": []})


def test_summary_takes_the_median_round():
    assert gx.summary(RESULT) == {"threads": False, "processes": True, "interpreters": None}
    assert gx.summary(RESULT, above=1.5)["processes"] is False
    for bad in (0.5, True):
        with pytest.raises(ValueError):
            gx.summary(RESULT, above=bad)
    with pytest.raises(ValueError):
        gx.summary(RESULT | {"rounds": []})


def test_plot_results():
    result = gx.run_experiment(workers=1, tasks=1, n=10, repeat=1)
    fig = gx.plot_results({"a": result, "b": result})
    assert len(fig.axes) == 1
    with pytest.raises(ValueError):
        gx.plot_results({})
