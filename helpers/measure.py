"""Timing ways of running the same work: one record, one best-of-rounds loop, for every experiment.

A *way* is how the work runs: ``"sequential"``, ``"threads"``, ``"processes"``,
``"interpreters"`` or ``"asyncio"``. :func:`rounds` runs every way once per round, in turn, so a
burst of load from other programs slows the ways of one round alike; each run gives a
:class:`Timed`: its wall-clock seconds, the CPU seconds its tasks reported, and how many of the
machine's cores no program used meanwhile. From those come the two verdicts that hold however
busy the machine is: *cores busy* (CPU seconds / wall seconds: never above 1 for threads under
the GIL) and *spare cores* (idle cores a pool could have used: near 0 when processes ran in
parallel).

Only the standard library is imported at module level (psutil lazily, and optionally), so the
GIL experiment can run this module in an interpreter that has nothing installed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from helpers import _validate, cpus

Run = Callable[[], float | None]  # runs the work once; returns the tasks' CPU seconds, or None


@dataclass(frozen=True)
class Timed:
    """One way of running the work, timed once.

    ``cpu_seconds``: what the tasks reported (``None`` where not measured); ``idle_cores``: how
    many of the machine's cores no program used meanwhile, on average (``None`` without psutil).
    """

    way: str
    workers: int
    seconds: float
    cpu_seconds: float | None = None
    idle_cores: float | None = None
    round: int = 0
    workload: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        """What is compared across rounds: (workload, way, workers)."""
        return self.workload, self.way, self.workers

    @property
    def cores_busy(self) -> float | None:
        """How many cores the tasks kept busy on average: CPU seconds / wall-clock seconds."""
        if self.cpu_seconds is None or self.seconds <= 0:
            return None
        return self.cpu_seconds / self.seconds

    @property
    def spare_cores(self) -> float | None:
        """Idle cores this run's workers could have used (see :func:`helpers.cpus.spare_cores`)."""
        if self.idle_cores is None:
            return None
        return cpus.spare_cores(self.idle_cores, self.workers)


def idle_core_seconds() -> float | None:
    """CPU seconds all cores have spent idle so far (idle + I/O wait); None without psutil."""
    try:
        import psutil
    except ImportError:  # an interpreter under study may have nothing installed
        return None
    times = psutil.cpu_times()
    return times.idle + getattr(times, "iowait", 0.0)


def cpu_seconds_with_children() -> float:
    """CPU seconds used so far by this process (all threads) and its live child processes.

    Counts the pool's own overhead (pickling, pipes, waking workers) as well as the tasks.
    """
    import psutil

    total = time.process_time()
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:  # ended meanwhile
            continue
        total += times.user + times.system
    return total


def time_once(run: Run, way: str, workers: int = 1, *, round: int = 0, workload: str = "") -> Timed:
    """Run ``run()`` once and time it: wall clock, the CPU seconds it returns, idle cores."""
    _validate.function(run, "run")
    _validate.label(way, "way")
    _validate.integer(workers, "workers", 1)
    idle, start = idle_core_seconds(), time.perf_counter()
    cpu = run()
    seconds = time.perf_counter() - start
    idle_after = idle_core_seconds()
    idle_cores = None if idle is None or idle_after is None else (idle_after - idle) / seconds
    return Timed(way, workers, seconds, cpu, idle_cores, round, workload)


def rounds(
    ways: Sequence[tuple[str, int, Run]],
    repeat: int,
    *,
    workload: str = "",
    warm_up: bool = False,
) -> list[Timed]:
    """Every ``(way, workers, run)`` timed once per round, in turn, for ``repeat`` rounds.

    Round ``r`` starts with way ``r % len(ways)`` and goes round from there, so that whatever
    a position in the round brings (the machine's state after the previous way) is shared out.
    ``warm_up=True`` first runs every way once, untimed: the first second of CPU-heavy work
    after a pause runs slower (the processor raises its clock), which would count against
    whichever way happened to go first.

    Start pools (and warm them up) before calling this, so that start-up is not timed.
    """
    _validate.sequence(ways, "ways")
    if not ways:
        raise ValueError("ways must hold at least one (way, workers, run)")
    _validate.integer(repeat, "repeat", 1)
    if warm_up:
        for _, _, run in ways:
            run()
    records = []
    for r in range(repeat):
        start = r % len(ways)  # each round starts one way later: no way always runs first
        for way, workers, run in [*ways[start:], *ways[:start]]:
            records.append(time_once(run, way, workers, round=r, workload=workload))
    return records


def best(records: Iterable[Timed]) -> list[Timed]:
    """The fastest round of each (workload, way, workers), in the order they first appear."""
    fastest: dict[tuple[str, str, int], Timed] = {}
    for record in records:
        if not isinstance(record, Timed):
            raise TypeError(f"records must be Timed, not {type(record).__name__}")
        if record.key not in fastest or record.seconds < fastest[record.key].seconds:
            fastest[record.key] = record
    return list(fastest.values())


def median_over_rounds(records: Iterable[Timed], measure: Callable[[Timed], float | None]) -> dict:
    """``{key: median of measure(record) over its rounds}``; None where any round has None."""
    values: dict[tuple[str, str, int], list[float | None]] = {}
    for record in records:
        values.setdefault(record.key, []).append(measure(record))
    return {
        key: None if None in vs else statistics.median(v for v in vs if v is not None)
        for key, vs in values.items()
    }


def speedups(records: Sequence[Timed], baseline: tuple[str, str, int]) -> dict:
    """``{key: speedup over baseline}``, each round's baseline time over the same round's time,
    median over rounds: a moment of load slows both sides of a ratio alike."""
    by_round = {(r.key, r.round): r.seconds for r in records}
    keys = dict.fromkeys(r.key for r in records)
    if baseline not in keys:
        raise ValueError(f"no run of the baseline {baseline} among the records")
    out = {}
    for key in keys:
        ratios = [
            by_round[baseline, n] / by_round[key, n]
            for (k, n) in by_round
            if k == key and (baseline, n) in by_round
        ]
        out[key] = statistics.median(ratios)
    return out
