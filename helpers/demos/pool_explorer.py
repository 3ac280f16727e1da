"""The pool explorer (notebook 17): one small pool experiment, re-run each time a slider moves.

``tasks`` tasks of ``seconds`` each go to a pool of ``workers`` threads or processes. I/O-bound
tasks wait (:func:`helpers.workers.waits.wait_some_time`: the sleep stands in for a server's
latency); CPU-bound tasks compute (:func:`helpers.workers.cpu.cpu_task`, sized to take about
``seconds`` on one core). The server answers at most ``limit`` requests at once (``None``: no
limit). The ``threading.Semaphore`` of ``limit`` slots models that limit on the client side: a
request goes only when a slot is free, and the task's completion frees it -- as if the server
served only that many; a real server would queue the extra requests itself. The physical
limit -- no pool can finish sooner -- is ``ceil(tasks / at_once) * seconds``, where
``at_once`` is how many tasks can really run together: ``min(workers, limit)`` for waits,
``min(workers, usable cores)`` for CPU work (whose ``seconds`` is then what the tasks measured
on their core, not what was asked: a busy machine stretches it).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt

from helpers import _validate, cpus, measure
from helpers.cpus import usable_cpus
from helpers.pools import WAYS, make_pool, stopping_on_interrupt
from helpers.timeline import Timeline
from helpers.timing import format_seconds
from helpers.workers import cpu, spans, waits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KINDS = ("I/O-bound", "CPU-bound")


@dataclass(frozen=True)
class Exploration:
    """One run of :func:`explore`: the settings, the timeline, measured and best possible seconds.

    ``work`` is the tasks' work in seconds: ``tasks * seconds`` of waiting for I/O, the CPU
    seconds the tasks reported for CPU work (so a busy machine cannot inflate the speedup).
    ``idle_cores``: how many of the machine's cores no program used meanwhile (None without
    psutil).
    """

    way: str
    kind: str
    workers: int
    tasks: int
    task_seconds: float
    server_limit: int | None
    at_once: int
    timeline: Timeline
    seconds: float
    limit: float
    work: float
    idle_cores: float | None = None

    @property
    def speedup(self) -> float:
        """Work done per second of wall-clock time: for CPU work, the cores kept busy on average."""
        return self.work / self.seconds

    @property
    def spare_cores(self) -> float | None:
        """Idle cores the workers could have used (:func:`helpers.cpus.spare_cores`): near 0
        when every core they could use ran one of them or another program, busy machine or not.
        """
        if self.idle_cores is None:
            return None
        return cpus.spare_cores(self.idle_cores, self.workers)

    @property
    def most_cores_busy(self) -> float:
        """The most cores the workers can keep busy on average over this run, +10% for error:
        ``min(workers, usable cores)``, plus a CPU quota's bursts in a short run
        (:func:`helpers.cpus.most_cores_busy`)."""
        return 1.1 * cpus.most_cores_busy(self.workers, self.seconds)

    @property
    def best_speedup(self) -> float:
        """The speedup at the physical limit: ``tasks / ceil(tasks / at_once)``."""
        return self.tasks / math.ceil(self.tasks / self.at_once)


def physical_limit(tasks: int, at_once: int, seconds: float) -> float:
    """The shortest possible time for ``tasks`` tasks of ``seconds``, ``at_once`` at a time."""
    _validate.integer(tasks, "tasks", 1)
    _validate.integer(at_once, "at_once", 1)
    return math.ceil(tasks / at_once) * _validate.positive(seconds, "seconds")


@cache
def _steps_per_second() -> float:
    """How many :func:`cpu.cpu_task` steps one core runs per second here (best of 3, once)."""
    steps = 200_000
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        cpu.cpu_task(steps)
        best = min(best, time.perf_counter() - start)
    return steps / best


def explore(
    way: str, kind: str, workers: int, tasks: int, seconds: float, limit: int | None = None
) -> Exploration:
    """Run ``tasks`` tasks of ``seconds`` in a pool of ``workers`` ``way`` and time them.

    ``way``: ``"threads"`` or ``"processes"``; ``kind``: ``"I/O-bound"`` or ``"CPU-bound"``;
    ``limit``: the server's concurrency limit, ``None`` for none (I/O only: CPU work asks no
    server, and ignores it). Process pools are started (every worker up) before the clock
    starts; every pool is shut down here.
    """
    if way not in WAYS:
        raise ValueError(f"way must be one of {WAYS}, not {way!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    _validate.integer(workers, "workers", 1)
    _validate.integer(tasks, "tasks", 1)
    _validate.positive(seconds, "seconds")
    if limit is not None:
        _validate.integer(limit, "limit", 1)
    io = kind == KINDS[0]
    slots = limit if io and limit is not None else tasks  # no limit: a slot for every task
    at_once = min(workers, slots) if io else min(workers, usable_cpus())
    server = threading.Semaphore(slots)  # the server's free slots, as the client sees them
    steps = max(1, round(seconds * _steps_per_second()))
    with stopping_on_interrupt(make_pool(way, workers, warm=True)) as pool:
        timeline = Timeline()
        idle, start = measure.idle_core_seconds(), time.perf_counter()
        futures = []
        for i in range(tasks):
            server.acquire()  # wait for a free slot, as a request waits for the server
            if io:
                future = pool.submit(spans.recorded, str(i + 1), waits.wait_some_time, seconds)
            else:
                future = pool.submit(spans.recorded, str(i + 1), cpu.cpu_timed, cpu.cpu_task, steps)
            future.add_done_callback(lambda _: server.release())
            futures.append(future)
        results = [timeline.add(f.result()) for f in futures]
        elapsed = time.perf_counter() - start
        idle_after = measure.idle_core_seconds()
    idle_cores = None if idle is None or idle_after is None else (idle_after - idle) / elapsed
    work = tasks * seconds if io else sum(cpu_seconds for _, cpu_seconds in results)
    best = physical_limit(tasks, at_once, max(work / tasks, 1e-9))  # at the tasks' measured size
    return Exploration(
        way,
        kind,
        workers,
        tasks,
        seconds,
        limit,
        at_once,
        timeline,
        elapsed,
        best,
        work,
        idle_cores,
    )


def draw(result: Exploration) -> Figure:
    """The run's timeline with its physical limit marked, and its speedup beside the best one."""
    if not isinstance(result, Exploration):
        raise TypeError(f"result must be an Exploration, not {type(result).__name__}")
    df = result.timeline.to_dataframe()
    rows = result.timeline.workers()
    fig, (gantt, bars) = plt.subplots(  # sized by the settings, not by what ran: same each run
        1, 2, figsize=(9, 1.6 + 0.3 * result.workers), width_ratios=[3, 1], layout="constrained"
    )
    colors = plt.get_cmap("tab20").colors
    for i, row in enumerate(df.itertuples()):
        y = rows.index(row.worker)
        gantt.barh(y, row.duration, left=row.start, height=0.7, color=colors[i % len(colors)])
        gantt.text(row.start + row.duration / 2, y, row.label, ha="center", va="center", fontsize=7)
    gantt.axvline(result.limit, color="black", linestyle="--", label="physical limit")
    gantt.axvline(result.seconds, color="crimson", label="measured")
    gantt.set_yticks(range(len(rows)), rows)
    gantt.invert_yaxis()
    gantt.set_xlim(0, 1.05 * max(result.seconds, result.limit))
    gantt.set_xlabel("seconds since the first task was sent")
    fig.legend(loc="outside lower left", ncols=2, fontsize=7, frameon=False)
    gantt.set_title(
        f"{result.tasks} {result.kind} tasks of {format_seconds(result.task_seconds)}, "
        f"{result.workers} {result.way}: {format_seconds(result.seconds)} "
        f"(limit {format_seconds(result.limit)})",
        fontsize=9,
    )
    bars.bar(["measured", "physical\nlimit"], [result.speedup, result.best_speedup],
             color=["crimson", "grey"])  # fmt: skip
    bars.set_ylabel("speedup" if result.kind == KINDS[0] else "speedup (cores busy)")
    bars.set_ylim(0, max(result.speedup, result.best_speedup) * 1.15)
    plt.close(fig)
    return fig
