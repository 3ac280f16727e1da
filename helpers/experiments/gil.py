"""The CPU experiment of the free-threading notebook, runnable by any CPython 3.11+.

``python -m helpers.experiments.gil`` runs the same CPU-bound tasks sequentially, in a thread pool,
in a process pool and (where ``concurrent.futures.InterpreterPoolExecutor`` exists, 3.14+) in a
pool of subinterpreters, and prints one JSON object: this interpreter's build and the seconds
each took. The notebook runs it in a *subprocess* with whichever interpreter is being studied,
for example a free-threaded ``python3.14t``. Standard library only, so that interpreter needs
nothing installed: put the repository on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.pools import mp_context, warm_up
from helpers.workers.cpu import cpu_task, timed_cpu_task

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ENV_VAR = "COURSE_FREE_THREADED_PYTHON"
CANDIDATES = ("python3.14t", "python3.13t", "python3.15t", "python3.14", "python3.15")
REPO_ROOT = Path(__file__).resolve().parents[2]


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


def _idle_seconds() -> float | None:
    """CPU seconds all cores have spent idle so far (idle + I/O wait), where psutil is installed.

    psutil is optional: the interpreter under study may have nothing installed.
    """
    try:
        import psutil
    except ImportError:
        return None
    times = psutil.cpu_times()
    return times.idle + getattr(times, "iowait", 0.0)


def _timed_map(pool: cf.Executor | None, n: int, tasks: int) -> tuple[float, float, float | None]:
    """Wall-clock seconds, the summed CPU seconds of ``tasks`` calls of ``cpu_task(n)``, and the
    cores nobody (no program) used meanwhile on average (``None`` without psutil)."""
    idle, start = _idle_seconds(), time.perf_counter()
    if pool is None:
        cpu = [timed_cpu_task(n) for _ in range(tasks)]
    else:
        cpu = list(pool.map(timed_cpu_task, [n] * tasks))
    elapsed = time.perf_counter() - start
    idle_after = _idle_seconds()
    idle_cores = None if idle is None or idle_after is None else (idle_after - idle) / elapsed
    return elapsed, sum(cpu), idle_cores


def run_experiment(
    *, workers: int = 2, tasks: int = 4, n: int = 1_000_000, repeat: int = 2
) -> dict[str, Any]:
    """Time ``tasks`` calls of ``cpu_task(n)`` sequentially and on pools of ``workers``.

    Pools are started and warmed up before timing; in each of ``repeat`` rounds every way runs
    once, in turn. ``"seconds"`` and ``"cpu_seconds"`` hold each way's best round (other programs
    may keep the machine busy for a moment), ``"rounds"`` every round's ``[seconds, cpu
    seconds, idle cores]`` by way (idle cores: how many cores no program used meanwhile, on
    average; ``None`` where psutil is not installed). ``"interpreters"`` is ``None`` where this
    Python has no ``InterpreterPoolExecutor``.
    """
    for name, value in (("workers", workers), ("tasks", tasks), ("n", n), ("repeat", repeat)):
        _check(name, value)
    interpreter_pool = getattr(cf, "InterpreterPoolExecutor", None)
    best: dict[str, tuple[float, float, float | None]] = {}
    rounds: list[dict[str, tuple[float, float, float | None]]] = []
    with ExitStack() as stack:
        pools: dict[str, cf.Executor | None] = {
            "sequential": None,
            "threads": stack.enter_context(
                cf.ThreadPoolExecutor(workers, thread_name_prefix="gil")
            ),
            "processes": stack.enter_context(
                cf.ProcessPoolExecutor(workers, mp_context=mp_context())
            ),
        }
        if interpreter_pool is not None:
            pools["interpreters"] = stack.enter_context(interpreter_pool(workers))
        for kind, pool in pools.items():
            if kind == "processes":
                warm_up(pool, workers)  # start every worker process before timing
            elif pool is not None:
                list(pool.map(cpu_task, [1] * workers))
        for _ in range(repeat):
            rounds.append({})
            for kind, pool in pools.items():
                measured = rounds[-1][kind] = _timed_map(pool, n, tasks)
                if kind not in best or measured[0] < best[kind][0]:
                    best[kind] = measured
    kinds = ("sequential", "threads", "processes", "interpreters")
    return {
        "build": build_info(),
        "workers": workers,
        "tasks": tasks,
        "n": n,
        "seconds": {k: best[k][0] if k in best else None for k in kinds},
        "cpu_seconds": {k: best[k][1] if k in best else None for k in kinds},
        "rounds": rounds,
    }


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


def cores_busy(result: Mapping[str, Any]) -> dict[str, float | None]:
    """How many cores each way kept busy on average: its tasks' CPU seconds / wall-clock seconds.

    Threads under the GIL stay at or below 1; parallel workers reach up to the core count (less
    when other programs share the machine). ``None`` where that way was not available.
    """
    seconds, cpu = result["seconds"], result["cpu_seconds"]
    return {k: None if seconds[k] is None else cpu[k] / seconds[k] for k in seconds}


def cores_idle(result: Mapping[str, Any]) -> dict[str, float | None]:
    """How many cores no program used while each way ran: the median over the rounds.

    Near 0 when the workers -- or other programs -- kept every core busy: the check that parallel
    workers used every core they could get, true however busy the machine (see notebook 09).
    ``None`` where that way was not available or psutil was not installed to measure it.
    """
    rounds = result["rounds"]
    if not rounds:
        raise ValueError("the result holds no rounds")
    idle: dict[str, float | None] = {}
    for kind in result["seconds"]:
        measured = [r[kind][2] for r in rounds if kind in r and len(r[kind]) > 2]
        ok = len(measured) == len(rounds) and None not in measured
        idle[kind] = statistics.median(measured) if ok else None
    return idle


def summary(result: Mapping[str, Any], *, above: float = 1.1) -> dict[str, bool | None]:
    """For each pool: did it run the CPU work in parallel?

    Yes if, in the median round, its tasks kept more than ``above`` cores busy at once (cores
    busy = CPU seconds / wall-clock seconds) -- more than one core, which the GIL never lets
    threads do, whatever else runs on the machine (the 0.1 is room for measuring error). Other
    programs can lower what parallel workers reach, so run more workers than there are cores:
    the scheduler shares the cores among all busy processes, and the more of them are ours,
    the bigger our share. ``None`` where that pool was not available.
    """
    if isinstance(above, bool) or not isinstance(above, int | float) or above < 1:
        raise ValueError(f"above must be a number of cores >= 1, not {above!r}")
    rounds = result["rounds"]
    if not rounds:
        raise ValueError("the result holds no rounds")

    def busy(measured: Sequence[float | None]) -> float:
        seconds, cpu = measured[0] or 0.0, measured[1] or 0.0
        return cpu / seconds if seconds > 0 else 0.0

    verdict: dict[str, bool | None] = {}
    for kind in ("threads", "processes", "interpreters"):
        if kind not in rounds[0]:
            verdict[kind] = None
            continue
        verdict[kind] = statistics.median(busy(r[kind]) for r in rounds) > above
    return verdict


def plot_results(results: Mapping[str, Mapping[str, Any]]) -> Figure:
    """One grouped bar chart: seconds per way of running, one group per interpreter measured."""
    if not results:
        raise ValueError("results must hold at least one measured interpreter")
    import matplotlib.pyplot as plt

    kinds = ["sequential", "threads", "processes", "interpreters"]
    fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
    width = 0.8 / len(results)
    for i, (label, result) in enumerate(results.items()):
        values = [result["seconds"][k] or 0.0 for k in kinds]
        bars = ax.bar([k + i * width for k in range(len(kinds))], values, width, label=label)
        for bar, kind in zip(bars, kinds, strict=True):
            if result["seconds"][kind] is None:
                ax.annotate("n/a", (bar.get_x() + width / 2, 0), ha="center", va="bottom")
    ax.set_xticks([k + width * (len(results) - 1) / 2 for k in range(len(kinds))], kinds)
    ax.set_ylabel("seconds (lower is better)")
    ax.set_title("The same CPU-bound tasks, run four ways")
    ax.legend(fontsize=8)
    plt.close(fig)
    return fig


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: print the build facts (``--info``) or the experiment's result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m helpers.experiments.gil", description=__doc__)
    parser.add_argument("--info", action="store_true", help="only print this interpreter's build")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--n", type=int, default=1_000_000, help="loop steps per task")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best time is kept")
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
