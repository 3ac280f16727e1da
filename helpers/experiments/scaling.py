"""Scaling up and out: a CPU-bound task timed on pools of 1, 2, ... processes, speedup and
efficiency, Amdahl's law, and task granularity.

Timing uses the course's one framework (:mod:`helpers.measure`): pools started and warmed up
before the clock runs, every pool timed once per round, in turn, and verdicts taken from what the
cores did (cores busy, spare cores). Dask's set-up is written in notebook 14 itself.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Protocol, TypeVar

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt
import pandas as pd
from distributed.deploy.spec import SpecCluster

from helpers import _validate, cpus, measure
from helpers.measure import Timed
from helpers.pools import make_pool
from helpers.timing import format_seconds
from helpers.workers.cpu import cpu_task, timed_cpu_task

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class _Closable(Protocol):
    def close(self) -> object: ...


_C = TypeVar("_C", bound=_Closable)


def start_whole(start: Callable[[], _C]) -> _C:
    """``start()`` -- a Dask ``Client`` with its local cluster -- started whole, or not at all.

    An interrupt (Ctrl-C, Kernel -> Interrupt) that lands while a ``Client`` starts its cluster
    stops the waiting constructor but not the start-up (that goes on in Dask's event-loop
    thread), and it also ends the worker processes being started (they get the same signal),
    so the constructor fails -- with no object to close: the scheduler keeps listening. Here
    ``SIGINT`` waits until ``start()`` has returned or failed; then every Dask cluster it
    started is closed if it failed or an interrupt came, and ``KeyboardInterrupt`` is raised if
    one came -- the ``with`` block it was for is never entered. Outside the main thread (no
    signal handler there) it just calls ``start()``.
    """
    if not callable(start):
        raise TypeError(f"start must be callable, not {type(start).__name__}")
    if threading.current_thread() is not threading.main_thread():
        return start()
    before = set(SpecCluster._instances)  # Dask's own record of the clusters it started
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    try:
        started = start()
    except BaseException:
        for cluster in set(SpecCluster._instances) - before:
            cluster.close(timeout=10)
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        started.close()
        raise KeyboardInterrupt
    return started


def _check_count(name: str, value: object, minimum: int = 1) -> int:
    return _validate.integer(value, name, minimum)


def job_name(tasks: int, n: int, chunksize: int) -> str:
    """The workload label :func:`time_jobs` gives a job: ``"6 tasks of 5 steps, chunksize 1"``."""
    return f"{tasks} tasks of {n} steps, chunksize {chunksize}"


def time_jobs(
    workers: int, jobs: Sequence[tuple[int, int, int]], *, repeat: int = 1
) -> list[Timed]:
    """Time several ways of cutting up CPU work on one pool of ``workers`` processes.

    Each job is ``(tasks, n, chunksize)``: ``tasks`` calls of :func:`cpu_task` with ``n`` steps,
    handed out by ``map`` in chunks of ``chunksize``. The pool is warmed up before the clock
    starts, so the times are the work plus the cost of handing out tasks and collecting
    results. Each record's ``cpu_seconds`` is what the parent and its worker processes used
    meanwhile: the work itself plus that overhead, which waiting for a busy machine does not
    inflate the way it inflates wall-clock time. Its ``workload`` is :func:`job_name`.
    """
    _check_count("workers", workers)
    _check_count("repeat", repeat)
    _validate.sequence(jobs, "jobs")
    if not jobs:
        raise ValueError("jobs must hold at least one (tasks, n, chunksize)")
    for tasks, n, chunksize in jobs:
        _check_count("tasks", tasks)
        _check_count("n", n, 0)
        _check_count("chunksize", chunksize)
    with make_pool("processes", workers, warm=True) as pool:

        def run(tasks: int, n: int, chunksize: int) -> float:
            start = measure.cpu_seconds_with_children()
            list(pool.map(cpu_task, [n] * tasks, chunksize=chunksize))
            return measure.cpu_seconds_with_children() - start

        records: list[Timed] = []
        for r in range(repeat):  # the jobs take turns in each round
            for job in jobs:
                timed = measure.time_once(
                    lambda job=job: run(*job),
                    "processes",
                    workers,
                    round=r,
                    workload=job_name(*job),
                )
                records.append(timed)
    return records


def time_process_pools(
    workers: Sequence[int], tasks: int, n: int, *, repeat: int = 2
) -> list[Timed]:
    """``tasks`` calls of :func:`timed_cpu_task` with ``n`` steps on a pool of each size.

    All pools are started and warmed up first; then each round times every pool once, one after
    the other (:func:`helpers.measure.rounds`), so a burst of load from other programs slows all
    pool sizes of a round alike. Each record holds the tasks' CPU seconds (so ``cores_busy``)
    and the cores nobody used meanwhile (so ``spare_cores``). ``workers`` must start with 1:
    the baseline of :func:`scaling_table`.
    """
    counts = _validate.counts(workers, "workers")
    if counts[0] != 1:
        raise ValueError("the first pool is the baseline and must have 1 worker")
    _check_count("tasks", tasks)
    _check_count("n", n, 0)
    _check_count("repeat", repeat)
    with ExitStack() as stack:
        ways = []
        for w in counts:
            pool = stack.enter_context(make_pool("processes", w, warm=True))
            ways.append(
                ("processes", w, lambda pool=pool: sum(pool.map(timed_cpu_task, [n] * tasks)))
            )
        return measure.rounds(ways, repeat, workload=f"{tasks} tasks of {n} steps", warm_up=True)


def _baseline(records: Sequence[Timed]) -> tuple[str, str, int]:
    if not records:
        raise ValueError("records must not be empty")
    first = records[0]
    if first.workers != 1:
        raise ValueError("the first record is the baseline and must use 1 worker")
    return first.key


def speedups(records: Sequence[Timed]) -> dict[int, float]:
    """``{workers: speedup over 1 worker}``: each round's 1-worker time over the same round's
    time, median over rounds (:func:`helpers.measure.speedups`)."""
    _validate.sequence(records, "records")
    by_key = measure.speedups(records, _baseline(records))
    return {key[2]: s for key, s in by_key.items()}


def scaling_table(records: Sequence[Timed]) -> pd.DataFrame:
    """Workers, best time, speedup, efficiency (speedup / workers), and the medians over rounds
    of cores busy and spare cores (idle cores a worker could have used), rounded for display."""
    speedup = speedups(records)
    busy = measure.median_over_rounds(records, lambda r: r.cores_busy)
    spare = measure.median_over_rounds(records, lambda r: r.spare_cores)
    rows = [
        {
            "workers": r.workers,
            "time": format_seconds(r.seconds),
            "speedup": round(speedup[r.workers], 1),
            "efficiency": round(speedup[r.workers] / r.workers, 1),
            "cores busy": None if busy[r.key] is None else round(busy[r.key], 1),
            "spare cores": None if spare[r.key] is None else round(spare[r.key], 1),
        }
        for r in measure.best(records)
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
) -> float | None:
    """Least-squares fit of Amdahl's parallel fraction ``p`` to measured speedups.

    Amdahl's law is linear in ``p`` for ``1 / speedup = 1 - p * (1 - 1 / n)``, so the fit is
    ``p = sum(x * y) / sum(x * x)`` with ``x = 1 - 1/n`` and ``y = 1 - 1/speedup``, clipped to
    [0, 1]. ``n`` is capped at ``cores`` as in :func:`amdahl`. On one core (``cores=1``) every
    ``p`` predicts a speedup of 1, so the measurements cannot tell them apart: ``None``.
    """
    if len(workers) != len(measured) or not workers:
        raise ValueError("workers and measured must be non-empty and of equal length")
    if any(s <= 0 for s in measured):
        raise ValueError("speedups must be positive")
    if all(_check_count("workers", w) == 1 for w in workers):
        raise ValueError("need at least one run with more than one worker")
    ns = [w if cores is None else min(w, _check_count("cores", cores)) for w in workers]
    xs = [1 - 1 / n for n in ns]
    ys = [1 - 1 / s for s in measured]
    sxx = sum(x * x for x in xs)
    if sxx == 0:  # one core: no p fits better than another
        return None
    p = sum(x * y for x, y in zip(xs, ys, strict=True)) / sxx
    return min(1.0, max(0.0, p))


def plot_scaling(records: Sequence[Timed], p: float | None, cores: int | None = None) -> Figure:
    """Measured speedup and efficiency vs workers, with the fitted Amdahl curve drawn over them.

    ``cores`` (default: :func:`helpers.cpus.usable_cpus`) caps the ideal line and is marked red.
    ``p`` None (one usable core: nothing to fit, :func:`fit_amdahl`) draws no Amdahl curve.
    """
    cores = cpus.usable_cpus() if cores is None else _check_count("cores", cores)
    measured = speedups(records)
    workers = list(measured)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
    grid = [1 + i / 10 for i in range(int((max(workers) - 1) * 10) + 1)]
    ideal = [min(w, cores) for w in workers]
    ax1.plot(workers, ideal, ":", color="grey", label="ideal: min(workers, usable cores)")
    if p is not None:
        ax1.plot(grid, [amdahl(n, p, cores) for n in grid], "--", label=f"Amdahl, p = {p:.2f}")
    ax1.plot(workers, list(measured.values()), "o", color="black", label="measured")
    ax2.plot(workers, [s / w for w, s in measured.items()], "o-")
    for ax, title in ((ax1, "speedup"), (ax2, "efficiency = speedup / workers")):
        ax.axvline(cores, color="red", alpha=0.3, label=f"{cores} usable cores")
        ax.set_xlabel("worker processes")
        ax.set_title(title)
        ax.set_xticks(workers)
    ax2.set_ylim(0, 1.1)
    ax1.legend(fontsize=8)
    plt.close(fig)
    return fig
