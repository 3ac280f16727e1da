"""The CPU experiment of the free-threading notebook, runnable by any CPython 3.11+.

``python -m helpers.experiments.gil`` runs the same CPU-bound tasks sequentially, in a thread pool,
in a process pool and (where ``concurrent.futures.InterpreterPoolExecutor`` exists, 3.14+) in a
pool of subinterpreters, and prints one JSON object: this interpreter's build and every round's
timing record (:class:`helpers.measure.Timed`). The notebook runs it in a *subprocess* with
whichever interpreter is being studied, for example a free-threaded ``python3.14t``. Standard
library only at import (psutil optional), so that interpreter needs nothing installed: put the
repository on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from helpers import measure
from helpers.pools import make_pool
from helpers.workers.cpu import timed_cpu_task
from helpers.workers.waits import wait_some_time

ENV_VAR = "COURSE_FREE_THREADED_PYTHON"
CANDIDATES = ("python3.14t", "python3.13t", "python3.15t", "python3.14", "python3.15")
REPO_ROOT = Path(__file__).resolve().parents[2]
WAYS = ("sequential", "threads", "processes", "interpreters")


def build_info() -> dict[str, Any]:
    """Facts about the running interpreter's build, the same keys on every Python 3.11+."""
    gil_check = getattr(sys, "_is_gil_enabled", None)  # 3.13+
    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "executable": sys.executable,
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": True if gil_check is None else bool(gil_check()),
        "interpreter_pool": hasattr(cf, "InterpreterPoolExecutor"),
    }


def worth_running(info: Mapping[str, Any]) -> bool:
    """True for the interpreters the experiment is about: free-threaded builds, or 3.14+."""
    return bool(info.get("free_threaded_build")) or bool(info.get("interpreter_pool"))


def _check(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


def run_experiment(
    *, workers: int = 2, tasks: int = 4, n: int = 1_000_000, repeat: int = 2
) -> dict[str, Any]:
    """Time ``tasks`` calls of ``cpu_task(n)`` sequentially and on pools of ``workers``.

    Every way -- ``sequential``, ``threads``, ``processes`` and, where
    ``InterpreterPoolExecutor`` exists (3.14+), ``interpreters`` -- is started and warmed up
    before timing, then timed once per round, in turn (:func:`helpers.measure.rounds`).
    ``"records"`` holds every round's :class:`~helpers.measure.Timed` as a dict (JSON);
    :func:`records` turns them back into records.
    """
    for name, value in (("workers", workers), ("tasks", tasks), ("n", n), ("repeat", repeat)):
        _check(name, value)
    interpreter_pool = getattr(cf, "InterpreterPoolExecutor", None)

    def run(pool: cf.Executor | None) -> measure.Run:
        if pool is None:
            return lambda: sum(timed_cpu_task(n) for _ in range(tasks))
        return lambda: sum(pool.map(timed_cpu_task, [n] * tasks))

    with ExitStack() as stack:
        ways: list[tuple[str, int, measure.Run]] = [("sequential", 1, run(None))]
        for way in ("threads", "processes"):
            ways.append(
                (way, workers, run(stack.enter_context(make_pool(way, workers, warm=True))))
            )
        if interpreter_pool is not None:
            pool = stack.enter_context(interpreter_pool(workers))
            list(pool.map(wait_some_time, [0.05] * workers))  # start every interpreter first
            ways.append(("interpreters", workers, run(pool)))
        timed = measure.rounds(ways, repeat, workload=f"{tasks} tasks of {n} steps", warm_up=True)
    return {
        "build": build_info(),
        "workers": workers,
        "tasks": tasks,
        "n": n,
        "records": [asdict(t) for t in timed],
    }


def records(result: Mapping[str, Any]) -> list[measure.Timed]:
    """The :class:`~helpers.measure.Timed` records of a :func:`run_experiment` result."""
    found = result.get("records") if isinstance(result, Mapping) else None
    if not isinstance(found, list) or not found:
        raise ValueError("the result holds no records: pass run_experiment's (or run_in's) result")
    return [measure.Timed(**r) for r in found]


def _env_with_repo() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def run_in(python: str, args: Sequence[str] = (), *, timeout: float = 300.0) -> dict[str, Any]:
    """Run ``python -m helpers.experiments.gil ARGS`` in a subprocess and return its JSON."""
    if not isinstance(python, str) or not python:
        raise ValueError(f"python must be the path of an interpreter, not {python!r}")
    done = subprocess.run(
        [python, "-m", "helpers.experiments.gil", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env_with_repo(),
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{python} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def probe(python: str) -> dict[str, Any] | None:
    """The build facts of another interpreter, or None if it does not run or is older than 3.11."""
    try:
        return run_in(python, ["--info"], timeout=60)
    except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired):
        return None


def find_experiment_python(environ: Mapping[str, str] | None = None) -> str | None:
    """An interpreter worth running the experiment on, or None.

    Checked in order: the one named by ``$COURSE_FREE_THREADED_PYTHON``, the running interpreter,
    then ``python3.14t``, ``python3.13t``, ... on ``PATH``. Nothing is downloaded.
    """
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_VAR, "").strip()
    if named:
        info = probe(named)
        if info is not None and worth_running(info):
            return named
    if worth_running(build_info()):
        return sys.executable
    for name in CANDIDATES:
        path = shutil.which(name, path=environ.get("PATH", os.defpath))
        if path is not None:
            info = probe(path)
            if info is not None and worth_running(info):
                return path
    return None


def _median_by_way(result: Mapping[str, Any], of: Any) -> dict[str, float | None]:
    """``{way: median over rounds of of(record)}`` for every way; None where not available."""
    medians = measure.median_over_rounds(records(result), of)
    by_way = {key[1]: value for key, value in medians.items()}
    return {way: by_way.get(way) for way in WAYS}


def cores_busy(result: Mapping[str, Any]) -> dict[str, float | None]:
    """How many cores each way kept busy, median over rounds: its tasks' CPU seconds / wall
    seconds. Threads under the GIL stay at or below 1; parallel workers reach up to the usable
    cores (less when other programs share them). ``None`` where that way was not available.
    """
    return _median_by_way(result, lambda r: r.cores_busy)


def spare_cores(result: Mapping[str, Any]) -> dict[str, float | None]:
    """Idle cores each way's workers could have used, median over rounds
    (:attr:`helpers.measure.Timed.spare_cores`): near 0 when parallel workers used every core
    they could get, however busy the machine and however many cores it has. ``None`` where that
    way was not available or psutil was not installed to measure it.
    """
    return _median_by_way(result, lambda r: r.spare_cores)


def best_seconds(result: Mapping[str, Any]) -> dict[str, float | None]:
    """Each way's best round, in wall-clock seconds; ``None`` where it was not available."""
    fastest = {t.way: t.seconds for t in measure.best(records(result))}
    return {way: fastest.get(way) for way in WAYS}


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: print the build facts (``--info``) or the experiment's result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m helpers.experiments.gil", description=__doc__)
    parser.add_argument("--info", action="store_true", help="only print this interpreter's build")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--n", type=int, default=1_000_000, help="loop steps per task")
    parser.add_argument("--repeat", type=int, default=2, help="rounds, every way once in each")
    args = parser.parse_args(argv)
    if args.info:
        print(json.dumps(build_info()))
    else:
        print(
            json.dumps(
                run_experiment(workers=args.workers, tasks=args.tasks, n=args.n, repeat=args.repeat)
            )
        )


if __name__ == "__main__":
    main()
