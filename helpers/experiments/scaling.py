"""Scaling up and out: a CPU-bound task, speedup and efficiency vs workers, Amdahl's law, task
granularity, and a Dask client that is either a quiet local cluster or a real scheduler.

Only the standard library is imported at module level, so the workers here can be imported by
any Python 3.11+ (see :mod:`helpers.experiments.gil`) and by freshly spawned processes quickly.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpers import _validate
from helpers.measure import cpu_seconds_with_children
from helpers.pools import mp_context, warm_up
from helpers.workers.cpu import cpu_task, timed_cpu_task

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client
    from matplotlib.figure import Figure


def _check_count(name: str, value: object, minimum: int = 1) -> int:
    return _validate.integer(value, name, minimum)


@dataclass(frozen=True)
class Run:
    """``tasks`` tasks of ``n`` steps each, run by ``workers`` processes in ``elapsed`` seconds.

    ``cpu`` (where measured) is the CPU seconds the parent and its worker processes used for it:
    the work itself plus the overhead of handing out tasks, which waiting for a busy machine
    does not inflate the way it inflates wall-clock time.
    """

    workers: int
    tasks: int
    n: int
    elapsed: float
    cpu: float | None = None
    rounds: tuple[float, ...] = ()  # every round's wall-clock seconds, where several were timed
    cores_busy: float | None = None  # median over rounds: the tasks' CPU seconds / wall seconds
    idle_cores: float | None = None  # median over rounds: cores nobody (no program) used meanwhile


def time_jobs(workers: int, jobs: Sequence[tuple[int, int, int]], *, repeat: int = 1) -> list[Run]:
    """Time several ways of cutting up CPU work on one pool of ``workers`` processes.

    Each job is ``(tasks, n, chunksize)``: ``tasks`` calls of :func:`cpu_task` with ``n`` steps,
    handed out by ``map`` in chunks of ``chunksize``. The pool is started and warmed up before
    the clock starts, so the times are the work plus the cost of handing out tasks and
    collecting results, not process start-up. The jobs take turns in each of ``repeat`` rounds
    and each keeps its best wall-clock time and its lowest CPU time (see :class:`Run`), so a
    moment of load from other programs hits them alike.
    """
    _check_count("workers", workers)
    _check_count("repeat", repeat)
    if not jobs:
        raise ValueError("jobs must hold at least one (tasks, n, chunksize)")
    for tasks, n, chunksize in jobs:
        _check_count("tasks", tasks)
        _check_count("n", n, 0)
        _check_count("chunksize", chunksize)
    best = [float("inf")] * len(jobs)
    cpu = [float("inf")] * len(jobs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp_context()) as pool:
        warm_up(pool, workers)
        for _ in range(repeat):
            for i, (tasks, n, chunksize) in enumerate(jobs):
                cpu_start, start = cpu_seconds_with_children(), time.perf_counter()
                list(pool.map(cpu_task, [n] * tasks, chunksize=chunksize))
                best[i] = min(best[i], time.perf_counter() - start)
                cpu[i] = min(cpu[i], cpu_seconds_with_children() - cpu_start)
    return [
        Run(workers, tasks, n, t, c) for (tasks, n, _), t, c in zip(jobs, best, cpu, strict=True)
    ]


def time_process_pool(
    workers: int, tasks: int, n: int, *, chunksize: int = 1, repeat: int = 1
) -> Run:
    """Time ``tasks`` calls of :func:`cpu_task` with ``n`` steps on a fresh pool (see
    :func:`time_jobs`)."""
    return time_jobs(workers, [(tasks, n, chunksize)], repeat=repeat)[0]


def time_process_pools(workers: Sequence[int], tasks: int, n: int, *, repeat: int = 2) -> list[Run]:
    """Like :func:`time_process_pool` for several pool sizes at once, timed in turn.

    All pools are started and warmed up first; then each round times every pool once, one after
    the other. Each :class:`Run` holds its best time and every round's time: taking turns means
    a burst of load from other programs slows all pool sizes of a round alike, so
    :func:`speedups` compares them round by round. It also holds, as medians over the rounds,
    the cores its tasks kept busy (their CPU seconds / wall seconds: at most the core count,
    less when other programs take a share) and the cores nobody used meanwhile (near 0 when the
    workers -- or other programs -- kept every core busy; see :mod:`helpers.speedup`).
    """
    from helpers.measure import idle_core_seconds

    if not workers:
        raise ValueError("workers must name at least one pool size")
    for w in workers:
        _check_count("workers", w)
    _check_count("tasks", tasks)
    _check_count("n", n, 0)
    _check_count("repeat", repeat)
    times: list[list[float]] = [[] for _ in workers]
    busy: list[list[float]] = [[] for _ in workers]
    idle: list[list[float]] = [[] for _ in workers]
    with ExitStack() as stack:
        pools = [
            stack.enter_context(ProcessPoolExecutor(max_workers=w, mp_context=mp_context()))
            for w in workers
        ]
        for pool, w in zip(pools, workers, strict=True):
            warm_up(pool, w)
        for _ in range(repeat):
            for i, pool in enumerate(pools):
                idle_start, start = idle_core_seconds(), time.perf_counter()
                cpu = sum(pool.map(timed_cpu_task, [n] * tasks))
                elapsed = time.perf_counter() - start
                times[i].append(elapsed)
                busy[i].append(cpu / elapsed)
                idle[i].append((idle_core_seconds() - idle_start) / elapsed)
    return [
        Run(
            w,
            tasks,
            n,
            min(t),
            rounds=tuple(t),
            cores_busy=statistics.median(b),
            idle_cores=statistics.median(i),
        )
        for w, t, b, i in zip(workers, times, busy, idle, strict=True)
    ]


def speedups(runs: Sequence[Run]) -> list[float]:
    """Speedup of each run relative to the first one (which must use one worker).

    With per-round times from :func:`time_process_pools`, each round's 1-worker time is divided
    by the same round's time, and the median over rounds taken; otherwise best times are used.
    """
    if not runs:
        raise ValueError("runs must not be empty")
    if runs[0].workers != 1:
        raise ValueError("the first run is the baseline and must use 1 worker")
    base = runs[0]
    paired = bool(base.rounds) and all(len(r.rounds) == len(base.rounds) for r in runs)
    if not paired:
        return [base.elapsed / r.elapsed for r in runs]
    return [
        statistics.median(b / t for b, t in zip(base.rounds, r.rounds, strict=True)) for r in runs
    ]


def scaling_table(runs: Sequence[Run]) -> pd.DataFrame:
    """Workers, time, speedup and efficiency (speedup / workers) per run, rounded for display;
    the cores busy and idle too, where measured (:func:`time_process_pools`)."""
    import pandas as pd

    from helpers.timing import format_seconds

    rows = [
        {
            "workers": r.workers,
            "time": format_seconds(r.elapsed),
            "speedup": round(s, 1),
            "efficiency": round(s / r.workers, 1),
            **({} if r.cores_busy is None else {"cores busy": round(r.cores_busy, 1)}),
            **({} if r.idle_cores is None else {"cores idle": round(r.idle_cores, 1)}),
        }
        for r, s in zip(runs, speedups(runs), strict=True)
    ]
    return pd.DataFrame(rows).set_index("workers")


def amdahl(workers: float, p: float, cores: int | None = None) -> float:
    """Amdahl's law: speedup ``1 / ((1 - p) + p / n)`` with ``n = min(workers, cores)``.

    ``p`` is the fraction of the work that can run in parallel. Workers beyond ``cores`` add
    nothing: they only take turns on the same cores.
    """
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
        raise ValueError(f"p must be a fraction between 0 and 1, not {p!r}")
    if isinstance(workers, bool) or not isinstance(workers, int | float) or workers < 1:
        raise ValueError(f"workers must be a number >= 1, not {workers!r}")
    n = workers if cores is None else min(workers, _check_count("cores", cores))
    return 1 / ((1 - p) + p / n)


def fit_amdahl(
    workers: Sequence[int], measured: Sequence[float], cores: int | None = None
) -> float:
    """Least-squares fit of Amdahl's parallel fraction ``p`` to measured speedups.

    Amdahl's law is linear in ``p`` for ``1 / speedup = 1 - p * (1 - 1 / n)``, so the fit is
    ``p = sum(x * y) / sum(x * x)`` with ``x = 1 - 1/n`` and ``y = 1 - 1/speedup``, clipped to
    [0, 1]. ``n`` is capped at ``cores`` as in :func:`amdahl`.
    """
    if len(workers) != len(measured) or not workers:
        raise ValueError("workers and measured must be non-empty and of equal length")
    if any(s <= 0 for s in measured):
        raise ValueError("speedups must be positive")
    ns = [w if cores is None else min(w, _check_count("cores", cores)) for w in workers]
    xs = [1 - 1 / _check_count("workers", n) for n in ns]
    ys = [1 - 1 / s for s in measured]
    sxx = sum(x * x for x in xs)
    if sxx == 0:
        raise ValueError("need at least one run with more than one worker (on more than one core)")
    p = sum(x * y for x, y in zip(xs, ys, strict=True)) / sxx
    return min(1.0, max(0.0, p))


def plot_scaling(runs: Sequence[Run], p: float, cores: int) -> Figure:
    """Measured speedup and efficiency vs workers, with the fitted Amdahl curve drawn over them."""
    import matplotlib.pyplot as plt

    workers = [r.workers for r in runs]
    measured = speedups(runs)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
    grid = [1 + i / 10 for i in range(int((max(workers) - 1) * 10) + 1)]
    ax1.plot(workers, workers, ":", color="grey", label="ideal (speedup = workers)")
    ax1.plot(grid, [amdahl(n, p, cores) for n in grid], "--", label=f"Amdahl, p = {p:.2f}")
    ax1.plot(workers, measured, "o", color="black", label="measured")
    ax2.plot(workers, [s / w for s, w in zip(measured, workers, strict=True)], "o-")
    for ax, title in ((ax1, "speedup"), (ax2, "efficiency = speedup / workers")):
        ax.axvline(cores, color="red", alpha=0.3, label=f"{cores} cores")
        ax.set_xlabel("worker processes")
        ax.set_title(title)
        ax.set_xticks(workers)
    ax2.set_ylim(0, 1.1)
    ax1.legend(fontsize=8)
    plt.close(fig)
    return fig


@contextmanager
def dask_client(address: str | None = None, *, n_workers: int = 2) -> Iterator[Client]:
    """A Dask client, closed (with its local cluster) when the ``with`` block ends.

    ``address`` (e.g. ``"tcp://10.0.0.5:8786"``) connects to a running scheduler. ``None`` starts
    a ``LocalCluster`` of ``n_workers`` processes with one thread each, on 127.0.0.1 only, with no
    dashboard; its scheduler still serves health checks over HTTP, on a random local port here
    rather than 8787 (which may be taken, and then Dask warns). Dask's log messages, which would
    reach the notebook from the worker processes, are silenced up to ERROR: closing a cluster can
    race with a worker's heartbeat and log a harmless "Failed to communicate with scheduler".
    Errors in your tasks still reach you, as exceptions from ``result()``.
    """
    from distributed import Client, LocalCluster

    if address is not None:
        if not isinstance(address, str) or not address:
            raise ValueError(
                f"address must be a scheduler address such as tcp://host:8786, not {address!r}"
            )
        with Client(address) as client:
            yield client
        return
    _check_count("n_workers", n_workers)
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
