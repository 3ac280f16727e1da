"""The measurements behind "threads, processes or asyncio?" (notebook 12): one I/O-bound and
one CPU-bound workload run every way, timed with the course's one framework
(:mod:`helpers.measure`), and judged by checks that hold however busy the machine is.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import pandas as pd

from helpers import _validate, measure
from helpers.measure import Timed
from helpers.pools import make_pool
from helpers.timing import format_seconds
from helpers.workers.cpu import timed_cpu_task
from helpers.workers.waits import wait_some_time

WAYS = ("sequential", "threads", "processes", "asyncio")
WORKLOADS = ("I/O", "CPU")

CHOOSE_FOR = {
    "sequential": "few tasks; simplest code",
    "threads": "waits in blocking libraries",
    "processes": "CPU-bound Python code",
    "asyncio": "very many waits, async libraries",
}


async def _cpu_coroutine(n: int) -> float:
    return timed_cpu_task(n)  # no await inside: it holds the loop like a sequential call


def _ways(
    fn: Callable[[Any], Any],
    args: list[Any],
    pools: dict[str, Executor],
    coroutine: Callable[[Any], Awaitable[Any]],
    loop_thread: Executor,
    counts_cpu: bool,
) -> list[tuple[str, int, measure.Run]]:
    """``(way, workers, run)`` for :func:`helpers.measure.rounds`: ``fn`` over ``args``
    sequentially, on each pool, and as coroutines gathered by ``asyncio.run`` in
    ``loop_thread`` (a notebook's own event loop is already running in the main thread)."""

    def cpu(results: list[Any]) -> float | None:
        return float(sum(results)) if counts_cpu else None

    async def gathered() -> list[Any]:
        return list(await asyncio.gather(*(coroutine(a) for a in args)))

    ways: list[tuple[str, int, measure.Run]] = [
        ("sequential", 1, lambda: cpu([fn(a) for a in args]))
    ]
    for way, pool in pools.items():  # at most one task per worker: len(args) run at once
        ways.append((way, len(args), lambda pool=pool: cpu(list(pool.map(fn, args)))))
    ways.append(("asyncio", 1, lambda: cpu(loop_thread.submit(asyncio.run, gathered()).result())))
    return ways


def measure_models(
    *,
    io_tasks: int = 4,
    io_seconds: float = 0.1,
    cpu_tasks: int = 2,
    cpu_n: int = 2_000_000,
    repeat: int = 2,
) -> list[Timed]:
    """Run an I/O-bound workload (``io_tasks`` waits) and a CPU-bound one (``cpu_tasks`` loops)
    sequentially, with threads, with processes and with asyncio, in ``repeat`` rounds; return
    every round's :class:`~helpers.measure.Timed` (workload ``"I/O"`` or ``"CPU"``).

    Pools are started and warmed up *before* the clock starts, so start-up is not counted. The
    CPU workload's records hold the tasks' CPU seconds; the I/O workload's hold ``None``.
    """
    for name, value in (("io_tasks", io_tasks), ("cpu_tasks", cpu_tasks), ("cpu_n", cpu_n)):
        _validate.integer(value, name, 1)
    _validate.integer(repeat, "repeat", 1)
    _validate.positive(io_seconds, "io_seconds")
    waits, loops = [io_seconds] * io_tasks, [cpu_n] * cpu_tasks
    size = max(io_tasks, cpu_tasks)
    with ExitStack() as stack:
        loop_thread = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="asyncio"))
        pools = {
            way: stack.enter_context(make_pool(way, size, warm=True))
            for way in ("threads", "processes")
        }
        records: list[Timed] = []
        for workload, fn, args, coroutine in (
            ("I/O", wait_some_time, waits, asyncio.sleep),
            ("CPU", timed_cpu_task, loops, _cpu_coroutine),
        ):
            ways = _ways(fn, args, pools, coroutine, loop_thread, counts_cpu=workload == "CPU")
            records += measure.rounds(ways, repeat, workload=workload, warm_up=True)
    return records


def _by_round(records: Sequence[Timed]) -> tuple[dict[tuple[str, str, int], Timed], list[int]]:
    """Records by (workload, way, round), and the rounds; ValueError unless every workload ran
    every way in each of them."""
    by = {(r.workload, r.way, r.round): r for r in records}
    rounds = sorted({r.round for r in records})
    missing = [(w, m, n) for w in WORKLOADS for m in WAYS for n in rounds if (w, m, n) not in by]
    if not records or missing:
        raise ValueError(f"measurements missing for {missing or 'every way'}")
    return by, rounds


def decision_table(records: Sequence[Timed]) -> pd.DataFrame:
    """Sequential, threads, processes and asyncio side by side, judged only by these measurements.

    *overlaps waits*: in the median round, the I/O workload took at most half the sequential
    time *of the same round* (so a moment of load from other programs affects both). The times
    shown are each way's best round. Whether the CPU work ran in parallel is checked by
    :func:`cpu_checks`.
    """
    _by_round(records)  # every way of both workloads in every round, or ValueError
    best = {r.key: r.seconds for r in measure.best(records)}
    io_speedup = measure.speedups(records, ("I/O", "sequential", 1))

    def io_key(way: str) -> tuple[str, str, int]:
        return next(r.key for r in records if r.workload == "I/O" and r.way == way)

    def cpu_key(way: str) -> tuple[str, str, int]:
        return next(r.key for r in records if r.workload == "CPU" and r.way == way)

    rows = [
        {
            "way": way,
            "I/O time": format_seconds(best[io_key(way)]),
            "overlaps waits": io_speedup[io_key(way)] >= 2,
            "CPU time": format_seconds(best[cpu_key(way)]),
            "choose for": CHOOSE_FOR[way],
        }
        for way in WAYS
    ]
    return pd.DataFrame(rows).set_index("way")


def cpu_checks(records: Sequence[Timed]) -> dict[str, bool]:
    """The CPU workload's lesson as two checks that hold however busy the machine is (as in
    notebook 09), where a speedup would depend on the cores other programs leave free.

    In every round, the sequential run, the threads and the coroutines kept at most 1.1 cores
    busy (cores busy = the tasks' CPU seconds / wall-clock seconds; one thread runs Python at a
    time under the GIL, 0.1 is room for measuring error); and in the median round the processes
    left fewer than 0.5 spare cores -- idle cores a worker could have used
    (:attr:`~helpers.measure.Timed.spare_cores`) -- so every core they could use ran one of
    them or another program, on 2 cores or 64, with or without a CPU quota.
    """
    by, rounds = _by_round(records)
    busy = [by["CPU", m, n].cores_busy for m in WAYS if m != "processes" for n in rounds]
    if None in busy:
        raise ValueError("the CPU workload's CPU seconds were not measured")
    spare = [by["CPU", "processes", n].spare_cores for n in rounds]
    if None in spare:
        raise ValueError("the processes' idle cores were not measured")
    return {
        "sequential, threads and asyncio never kept more than one core busy": max(busy) <= 1.1,
        "processes left no core idle that a worker could use (< 0.5)": statistics.median(spare)
        < 0.5,
    }
