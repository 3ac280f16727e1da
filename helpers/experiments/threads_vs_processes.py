"""Run the same tasks sequentially, in a thread pool and in a process pool; compare and draw.

Durations are taken from the tasks' own spans (first start to last end, the "makespan"), and
the worker processes of a pool all start up before the first task does, so a pool's start-up
and shutdown are left out: what is compared is how the work itself was spread over threads or
processes. ``make bench`` measures end to end instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from helpers import _validate
from helpers.measure import idle_core_seconds
from helpers.pools import make_pool
from helpers.timeline import Timeline
from helpers.workers.cpu import cpu_timed
from helpers.workers.spans import recorded

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

STRATEGIES = ("threads", "processes")
SWEEP_COLUMNS = ["strategy", "workers", "seconds", "speedup", "cores_used", "idle_cores"]


def _check_workers(workers: object) -> int:
    return _validate.integer(workers, "workers", 1)


def _check_fn(fn: object) -> None:
    if not callable(fn):
        raise TypeError(f"fn must be callable, not {type(fn).__name__}")


def _check_tasks(tasks: object) -> None:
    if isinstance(tasks, str) or not isinstance(tasks, Sequence):
        raise TypeError(
            f"tasks must be a sequence (a list, a tuple, ...), not {type(tasks).__name__}"
        )


def run_sequential(fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Timeline:
    """Run ``fn(task)`` for each task, one after the other, recorded on a new Timeline."""
    _check_fn(fn)
    _check_tasks(tasks)
    return _run(None, fn, tasks)[0]


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


def run_in_pool(
    strategy: str, workers: int, fn: Callable[[Any], Any], tasks: Sequence[Any]
) -> Timeline:
    """Run ``fn(task)`` for each task in a pool of ``workers``; a Timeline of the spans.

    ``fn`` must be importable (defined in ``helpers``) for the process pool. Worker processes
    all start before the first task runs (needs ``len(tasks) >= workers``).
    """
    _check_fn(fn)
    _check_tasks(tasks)
    _check_enough_tasks(tasks, _check_workers(workers))
    if strategy == "processes":
        _validate.picklable(fn)
    with make_pool(strategy, workers, warm=True) as pool:
        return _run(pool, fn, tasks)[0]


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
    repeats: int = 1,
) -> pd.DataFrame:
    """Makespan and speedup over sequential for threads and processes with 1, 2, ... workers.

    ``cores_used`` is the tasks' CPU time divided by the makespan: how many cores were busy
    with them at once on average (at most 1 for threads under the GIL). ``idle_cores`` is how
    many of the machine's cores nobody used meanwhile (by any program), on average: near 0
    when the tasks -- or other programs -- kept every core busy.

    Each measurement is repeated ``repeats`` times, in rounds, and the best is kept: on a busy
    machine a single run can be slowed down by other programs at any moment. The pools are
    started once and reused by every round; needs ``len(tasks) >= max(workers)``.
    """
    import pandas as pd

    _check_fn(fn)
    _check_tasks(tasks)
    if isinstance(workers, str) or not isinstance(workers, Iterable):
        raise TypeError(f"workers must be an iterable of ints, not {type(workers).__name__}")
    counts = [_check_workers(w) for w in workers]
    _validate.integer(repeats, "repeats", 1)
    if not counts or not tasks:
        raise ValueError("need at least one worker count and one task")
    _check_enough_tasks(tasks, max(counts))
    _validate.picklable(fn)
    best: dict[tuple[str, int], tuple[float, float, float]] = {}  # makespan, CPU s, idle
    with ExitStack() as stack:  # every pool stays up for all rounds: started once, reused
        pools = {
            (strategy, w): stack.enter_context(make_pool(strategy, w, warm=True))
            for strategy in STRATEGIES
            for w in counts
        }
        for _ in range(repeats):
            for key in [("sequential", 1), *pools]:
                idle, wall = idle_core_seconds(), time.perf_counter()
                tl, results = _run(pools.get(key), cpu_timed, tasks, fn)
                idle = (idle_core_seconds() - idle) / (time.perf_counter() - wall)
                measured = (makespan(tl), sum(cpu for _, cpu in results), idle)
                best[key] = min(measured, best.get(key, (float("inf"), 0.0, 0.0)))
    sequential = best["sequential", 1][0]
    rows = [
        {
            "strategy": s,
            "workers": w,
            "seconds": t,
            "speedup": sequential / t,
            "cores_used": c / t,
            "idle_cores": idle,
        }
        for (s, w), (t, c, idle) in best.items()
    ]
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


def plot_speedup(sweep: pd.DataFrame, cores: int) -> Figure:
    """Speedup vs workers per strategy (left) and the cores they kept busy (right).

    The ideal ``min(workers, cores)`` is dashed and the core count marked in red. The speedup
    also depends on how many cores other programs left free; the right panel shows why: the
    cores each strategy kept busy, and (dotted) those plus the cores nobody used meanwhile.
    """
    import pandas as pd

    if not isinstance(sweep, pd.DataFrame):
        raise TypeError(f"sweep must be a DataFrame from speedup_sweep, not {type(sweep).__name__}")
    missing = [c for c in SWEEP_COLUMNS if c not in sweep.columns]
    if missing:
        raise ValueError(f"sweep is missing the columns {missing} (use speedup_sweep's result)")
    _validate.integer(cores, "cores", 1)
    import matplotlib.pyplot as plt

    pools = sweep[sweep["strategy"] != "sequential"]
    if pools.empty:
        raise ValueError("the sweep has no pool results to plot")
    most = int(pools["workers"].max())
    ideal = range(1, most + 1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    panels = [("speedup", "speedup over sequential"), ("cores_used", "cores kept busy")]
    for ax, (column, label) in zip(axes, panels, strict=True):
        for k, (strategy, rows) in enumerate(pools.groupby("strategy", sort=False)):
            ax.plot(rows["workers"], rows[column], marker="o", color=f"C{k}", label=str(strategy))
            if column == "cores_used":  # what was free to them: busy + left idle by everyone
                free = rows["cores_used"] + rows["idle_cores"]
                ax.plot(rows["workers"], free, ls=":", color=f"C{k}", label=f"{strategy} + idle")
        ax.plot(
            ideal,
            [min(w, cores) for w in ideal],
            ls="--",
            color="grey",
            label="ideal: min(workers, cores)",
        )
        ax.axvline(cores, color="red", alpha=0.4, label=f"cores on this machine: {cores}")
        ax.set_xticks(list(ideal))
        ax.set_ylim(bottom=0)
        ax.set_xlabel("workers")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[1].legend(fontsize=8)
    axes[0].set_title("Speedup (depends on the cores left free)", fontsize=10)
    axes[1].set_title("Cores busy: CPU seconds / wall seconds", fontsize=10)
    fig.suptitle("CPU-bound tasks: threads vs processes")
    plt.close(fig)
    return fig
