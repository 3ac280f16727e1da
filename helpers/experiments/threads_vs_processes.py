"""Run the same tasks sequentially, in thread pools and in process pools; compare and draw.

Durations of a timeline come from the tasks' own spans (:func:`makespan`); the speedup sweep
uses the course's one timing framework (:mod:`helpers.measure`): pools started and warmed up
first (so start-up is not timed), every way timed once per round, in turn, and the verdicts
taken from what the cores did (cores busy, spare cores) rather than from one wall time.
``make bench`` measures end to end instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt

from helpers import _validate, cpus, measure
from helpers.measure import Timed
from helpers.pools import make_pool
from helpers.timeline import Timeline
from helpers.workers.cpu import cpu_timed
from helpers.workers.spans import recorded

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WAYS = ("threads", "processes")  # the pools compared with sequential


def _check_workers(workers: object) -> int:
    return _validate.integer(workers, "workers", 1)


def _run(
    pool: Executor | None, fn: Callable[..., Any], tasks: Sequence[Any], *args: Any
) -> tuple[Timeline, list[Any]]:
    """Spans and results of ``fn(*args, task)`` for every task: in ``pool``, or here if None."""
    tl = Timeline()
    labelled = [(f"task {i}", (*args, task)) for i, task in enumerate(tasks, 1)]
    if pool is None:
        return tl, [tl.add(recorded(label, fn, *a)) for label, a in labelled]
    futures = [pool.submit(recorded, label, fn, *a) for label, a in labelled]
    return tl, [tl.add(future.result()) for future in futures]


def _check_enough_tasks(tasks: Sequence[Any], workers: int) -> None:
    if len(tasks) < workers:
        raise ValueError(f"need at least as many tasks as workers ({workers}), not {len(tasks)}")


def makespan(tl: Timeline) -> float:
    """Seconds from the first task's start to the last task's end."""
    if not isinstance(tl, Timeline):
        raise TypeError(f"tl must be a Timeline, not {type(tl).__name__}")
    spans = tl.spans
    if not spans:
        raise ValueError("the timeline has no spans")
    return max(s.end for s in spans) - min(s.start for s in spans)


def speedup_sweep(
    fn: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: Iterable[int] = range(1, 5),
    *,
    repeat: int = 1,
) -> list[Timed]:
    """Time ``fn`` over ``tasks`` sequentially and on thread and process pools of each size.

    Every pool is started (and warmed up) once, before timing, so start-up is not timed; then
    in each of ``repeat`` rounds every way runs once, in turn, each round starting with a
    different way (:func:`helpers.measure.rounds`): a moment of load from other programs slows
    the ways of one round alike. Compare ways with :func:`helpers.measure.speedups`: each
    round's sequential time over the same round's time, the median over rounds. Each record
    holds the tasks' CPU seconds (``time.thread_time`` in the thread that ran each task), so
    ``cores_busy`` is at most 1 for threads under the GIL, and the cores nobody used meanwhile.
    Needs ``len(tasks) >= max(workers)``.
    """
    _validate.function(fn)
    _validate.sequence(tasks, "tasks")
    if isinstance(workers, str) or not isinstance(workers, Iterable):
        raise TypeError(f"workers must be an iterable of ints, not {type(workers).__name__}")
    counts = [_check_workers(w) for w in workers]
    _validate.integer(repeat, "repeat", 1)
    if not counts or not tasks:
        raise ValueError("need at least one worker count and one task")
    _check_enough_tasks(tasks, max(counts))
    _validate.picklable(fn)

    def run(pool: Executor | None) -> Callable[[], float]:
        return lambda: sum(cpu for _, cpu in _run(pool, cpu_timed, tasks, fn)[1])

    with ExitStack() as stack:  # every pool stays up for all rounds: started once, reused
        ways = [("sequential", 1, run(None))]
        for way in WAYS:
            for w in counts:
                pool = stack.enter_context(make_pool(way, w, warm=True))
                ways.append((way, w, run(pool)))
        return measure.rounds(ways, repeat, workload=f"{len(tasks)} tasks", warm_up=True)


def plot_speedup(records: Sequence[Timed], cores: int | None = None) -> Figure:
    """Speedup vs workers per way (left) and the cores they kept busy (right).

    The ideal ``min(workers, cores)`` is dashed and the usable core count (default:
    :func:`helpers.cpus.usable_cpus`) marked in red. Speedups are each round's sequential time
    over the same round's time, median over rounds; cores busy, the median over rounds; dotted
    on the right: cores busy + spare cores, what was free to the pool.
    """
    _validate.sequence(records, "records")
    cores = cpus.usable_cpus() if cores is None else _validate.integer(cores, "cores", 1)
    pooled = [r for r in records if isinstance(r, Timed) and r.way in WAYS]
    if not pooled:
        raise ValueError("records hold no pool runs to plot (use speedup_sweep's result)")
    baseline = next((r.key for r in records if r.way == "sequential"), None)
    if baseline is None:
        raise ValueError("records hold no sequential run to compare with")
    speedup = measure.speedups(records, baseline)
    busy = measure.median_over_rounds(records, lambda r: r.cores_busy)
    spare = measure.median_over_rounds(records, lambda r: r.spare_cores)
    most = max(r.workers for r in pooled)
    ideal = range(1, most + 1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    for k, way in enumerate(WAYS):
        keys = [key for key in speedup if key[1] == way]
        xs = [key[2] for key in keys]
        axes[0].plot(xs, [speedup[key] for key in keys], marker="o", color=f"C{k}", label=way)
        axes[1].plot(xs, [busy[key] or 0.0 for key in keys], marker="o", color=f"C{k}", label=way)
        free = [(busy[key] or 0.0) + (spare[key] or 0.0) for key in keys]
        axes[1].plot(xs, free, ls=":", color=f"C{k}", label=f"{way} + spare cores")
    for ax, label in zip(axes, ("speedup over sequential", "cores kept busy"), strict=True):
        ax.plot(ideal, [min(w, cores) for w in ideal], ls="--", color="grey", label="ideal")
        ax.axvline(cores, color="red", alpha=0.4, label=f"usable cores: {cores}")
        ax.set_xticks(list(ideal))
        ax.set_ylim(bottom=0)
        ax.set_xlabel("workers")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_title("Speedup (depends on the cores left free)", fontsize=10)
    axes[1].set_title("Cores busy: CPU seconds / wall seconds", fontsize=10)
    fig.suptitle("CPU-bound tasks: threads vs processes")
    plt.close(fig)
    return fig
