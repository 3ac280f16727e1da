"""asyncio demos: the talk's chess exhibition played by coroutines, and the course's measurements
behind "threads, processes or asyncio?".

The exhibition's numbers come from :mod:`helpers.chess`. Time is compressed: with
``scale=1 / 3600`` an exhibition hour takes one real second.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from helpers.measure import idle_core_seconds
from helpers.pools import mp_context, warm_up
from helpers.timing import format_seconds
from helpers.workers.cpu import timed_cpu_task
from helpers.workers.waits import wait_some_time

if TYPE_CHECKING:
    import pandas as pd

MODELS = ("sequential", "threads", "processes", "asyncio")

CHOOSE_FOR = {
    "sequential": "few tasks; simplest code",
    "threads": "waits in blocking libraries",
    "processes": "CPU-bound Python code",
    "asyncio": "very many waits, async libraries",
}


def _check_scale(scale: float) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 1:
        raise ValueError(
            f"scale must be in (0, 1] real seconds per simulated second, not {scale!r}"
        )
    return scale


def _check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


@dataclass(frozen=True)
class Measured:
    """One workload run one way in one round: wall-clock seconds and the tasks' CPU seconds."""

    workload: str
    model: str
    elapsed: float
    cpu: float
    round: int = 0
    idle_cores: float | None = None  # cores no program used meanwhile (psutil), where measured

    @property
    def cores_busy(self) -> float:
        """How many cores the tasks kept busy on average: CPU seconds / wall-clock seconds."""
        return self.cpu / self.elapsed if self.elapsed > 0 else 0.0


def _cpu_seconds(results: list[Any], counts_cpu: bool) -> float:
    return float(sum(results)) if counts_cpu else 0.0


async def _measure_once(
    workload: str,
    fn: Callable[[Any], Any],
    args: list[Any],
    pools: dict[str, Executor],
    coroutine: Callable[[Any], Awaitable[Any]],
) -> list[Measured]:
    """Run ``fn`` over ``args`` sequentially, on each pool, and as coroutines on the loop."""
    counts_cpu = workload == "CPU"
    runs: dict[str, Callable[[], list[Any]]] = {"sequential": lambda: [fn(a) for a in args]}
    for model, pool in pools.items():
        runs[model] = lambda pool=pool: list(pool.map(fn, args))
    out = []
    for model, run in runs.items():
        idle, start = idle_core_seconds(), time.perf_counter()
        results = run()
        elapsed = time.perf_counter() - start
        idle = (idle_core_seconds() - idle) / elapsed
        cpu = _cpu_seconds(results, counts_cpu)
        out.append(Measured(workload, model, elapsed, cpu, idle_cores=idle))
    idle, start = idle_core_seconds(), time.perf_counter()
    results = list(await asyncio.gather(*(coroutine(a) for a in args)))
    elapsed = time.perf_counter() - start
    idle = (idle_core_seconds() - idle) / elapsed
    out.append(
        Measured(workload, "asyncio", elapsed, _cpu_seconds(results, counts_cpu), idle_cores=idle)
    )
    return out


async def _cpu_coroutine(n: int) -> float:
    return timed_cpu_task(n)  # no await inside: it holds the loop like a sequential call


async def measure_models(
    *,
    io_tasks: int = 4,
    io_seconds: float = 0.1,
    cpu_tasks: int = 2,
    cpu_n: int = 2_000_000,
    repeat: int = 2,
) -> list[Measured]:
    """Run an I/O-bound workload (``io_tasks`` waits) and a CPU-bound one (``cpu_tasks`` loops)
    sequentially, with threads, with processes and with asyncio, in ``repeat`` rounds; return
    every measurement (each tagged with its round, so models can be compared round by round).

    Await it in a notebook (it needs the running event loop for the asyncio runs). Process pools
    are started and warmed up *before* the clock starts, so start-up cost is not counted.
    """
    for name, value in (("io_tasks", io_tasks), ("cpu_tasks", cpu_tasks), ("cpu_n", cpu_n)):
        _check_positive_int(name, value)
    _check_positive_int("repeat", repeat)
    if isinstance(io_seconds, bool) or not isinstance(io_seconds, int | float) or io_seconds <= 0:
        raise ValueError(f"io_seconds must be a positive number, not {io_seconds!r}")
    workers = max(io_tasks, cpu_tasks)
    waits, loops = [io_seconds] * io_tasks, [cpu_n] * cpu_tasks
    out: list[Measured] = []
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="models") as threads,
        ProcessPoolExecutor(workers, mp_context=mp_context()) as processes,
    ):
        warm_up(processes, workers)
        pools: dict[str, Executor] = {"threads": threads, "processes": processes}
        for i in range(repeat):
            runs = await _measure_once("I/O", wait_some_time, waits, pools, asyncio.sleep)
            runs += await _measure_once("CPU", timed_cpu_task, loops, pools, _cpu_coroutine)
            out += [replace(m, round=i) for m in runs]
    return out


def _check_complete(measured: list[Measured]) -> list[int]:
    """The rounds measured; ValueError unless every workload ran every way in each of them."""
    by = {(m.workload, m.model, m.round) for m in measured}
    rounds = sorted({m.round for m in measured})
    missing = [
        (w, m, r) for w in ("I/O", "CPU") for m in MODELS for r in rounds if (w, m, r) not in by
    ]
    if not measured or missing:
        raise ValueError(f"measurements missing for {missing or 'every model'}")
    return rounds


def decision_table(measured: list[Measured]) -> pd.DataFrame:
    """Sequential, threads, processes and asyncio side by side, judged only by these measurements.

    *overlaps waits*: in the median round, the I/O workload took at most half the sequential
    time *of the same round* (so a moment of load from other programs affects both). The times
    shown are each model's best round. Whether the CPU work ran in parallel is checked by
    :func:`cpu_checks`.
    """
    import pandas as pd

    rounds = _check_complete(measured)
    by = {(m.workload, m.model, m.round): m for m in measured}

    def median_ratio(model: str) -> float:
        ratios = []
        for r in rounds:
            base = by["I/O", "sequential", r].elapsed
            ratios.append(by["I/O", model, r].elapsed / base if base > 0 else 0.0)
        return statistics.median(ratios)

    def best(workload: str, model: str) -> float:
        return min(by[workload, model, r].elapsed for r in rounds)

    rows = [
        {
            "model": model,
            "I/O time": format_seconds(best("I/O", model)),
            "overlaps waits": median_ratio(model) <= 0.5,
            "CPU time": format_seconds(best("CPU", model)),
            "choose for": CHOOSE_FOR[model],
        }
        for model in MODELS
    ]
    return pd.DataFrame(rows).set_index("model")


def cpu_checks(measured: list[Measured]) -> dict[str, bool]:
    """The CPU workload's lesson as two checks that hold however busy the machine is (as in
    notebook 09), where a speedup would depend on the cores other programs leave free.

    In every round, the sequential run, the threads and the coroutines kept at most 1.1 cores
    busy (cores busy = the tasks' CPU seconds / wall-clock seconds; one thread runs Python at a
    time under the GIL, 0.1 is room for measuring error); and in the median round the processes
    left fewer than 0.5 cores idle -- no program used them -- so every core ran one of them or
    another program.
    """
    rounds = _check_complete(measured)
    by = {(m.workload, m.model, m.round): m for m in measured}
    one_core = max(by["CPU", m, r].cores_busy for m in MODELS if m != "processes" for r in rounds)
    processes = [by["CPU", "processes", r].idle_cores for r in rounds]
    idle = [cores for cores in processes if cores is not None]
    if len(idle) < len(rounds):
        raise ValueError("the processes' idle cores were not measured")
    return {
        "sequential, threads and asyncio never kept more than one core busy": one_core <= 1.1,
        "processes left no core idle (< 0.5 cores)": statistics.median(idle) < 0.5,
    }
