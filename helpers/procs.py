"""Workers and measurements for notebooks/11_processes_in_depth.ipynb.

Everything a process pool runs must be importable by the worker process (under spawn and
forkserver the child is a fresh interpreter that looks the function up by module and name), so
the notebook imports these instead of defining them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import _validate
from helpers.timeline import Span

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

    from matplotlib.figure import Figure


def cube(x: int) -> int:
    """``x ** 3``: a trivial task whose cost is all overhead when run in a process pool."""
    _validate.integer(x, "x")
    return x**3


# --- start methods ------------------------------------------------------------------------------


def documented_default(platform: str | None = None, version: tuple[int, int] | None = None) -> str:
    """The default start method the Python docs give for ``platform`` and ``version``.

    spawn on macOS and Windows; on Linux and other POSIX systems fork up to 3.13 and forkserver
    from 3.14. Defaults to this interpreter's platform and version.
    """
    platform = sys.platform if platform is None else platform
    version = tuple(sys.version_info[:2]) if version is None else tuple(version)
    if not isinstance(platform, str) or not platform:
        raise ValueError(f"platform must be a name such as 'linux', not {platform!r}")
    if len(version) != 2 or not all(isinstance(v, int) for v in version):
        raise ValueError(f"version must be (major, minor), not {version!r}")
    if platform in ("darwin", "win32"):
        return "spawn"
    return "forkserver" if version >= (3, 14) else "fork"


def pool_startup_seconds(method: str, workers: int = 2) -> float:
    """Seconds for a fresh pool of ``workers`` processes to answer ``workers`` trivial tasks.

    Start-up, one tiny task per worker and shut-down: what it costs to *have* a pool at all,
    with the start method ``method`` (fork, spawn or forkserver).
    """
    if method not in multiprocessing.get_all_start_methods():
        raise ValueError(f"{method!r} is not a start method on this platform")
    _validate.integer(workers, "workers", 1)
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        list(pool.map(cube, range(workers)))
    return time.perf_counter() - start


def bar_chart(values: dict[str, float], title: str, *, ylabel: str = "seconds") -> Figure:
    """A small bar chart of ``{name: value}`` (e.g. start-up seconds per start method)."""
    if not isinstance(values, dict) or not values:
        raise ValueError("values must be a non-empty dict of name -> number")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
    ax.bar(list(values), list(values.values()), color="tab:blue")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    plt.close(fig)  # shown once, by returning it, not again by the inline backend
    return fig


# --- what a child process prints when it dies ---------------------------------------------------


def stderr_to_file(path: str) -> None:
    """Pool initializer: send this worker process's stderr to the file ``path`` (appending).

    A worker that dies prints its traceback on its stderr; in Jupyter that lands in whichever
    cell happens to run, or in the terminal that started Jupyter. A file keeps it readable.
    """
    if not isinstance(path, str) or not path:
        raise ValueError(f"path must be a non-empty string, not {path!r}")
    sys.stderr = open(path, "a", buffering=1)  # noqa: SIM115 -- lives as long as the process


def last_error_line(path: str | Path) -> str:
    """The last ``SomeError: message`` line written to ``path``, in a version-independent form.

    Python 3.12 changed how a built-in ``__main__`` module is shown (``(built-in)`` became the
    loader's class), so that detail is dropped: ``<module '__main__'>``.
    """
    lines = [
        line
        for line in Path(path).read_text().splitlines()
        if re.match(r"^\w+(Error|Exception): ", line)
    ]
    if not lines:
        raise ValueError(f"no error line in {path}")
    return re.sub(r"<module '(\w+)' \(.*\)>", r"<module '\1'>", lines[-1])


# --- sending data -------------------------------------------------------------------------------


def size_of(data: bytes) -> int:
    """``len(data)``: the task is trivial, so timing it measures the cost of sending ``data``."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    return len(data)


def round_trip_seconds(pool: Executor, data: bytes, repeats: int = 3) -> float:
    """Fastest of ``repeats`` round trips of ``size_of(data)`` through ``pool``, in seconds.

    In a process pool that is pickling ``data``, sending it through a pipe and unpickling it;
    in a thread pool the worker gets a reference to the same object.
    """
    if not isinstance(pool, Executor):
        raise TypeError(f"pool must be an Executor, not {type(pool).__name__}")
    _validate.integer(repeats, "repeats", 1)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        pool.submit(size_of, data).result()
        times.append(time.perf_counter() - start)
    return min(times)


# --- chunksize ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """One item's result with the process that computed it and when."""

    value: int
    pid: int
    start: float
    end: float


def stamped_cube(x: int, seconds: float = 0.0) -> Stamp:
    """:func:`cube` after sleeping ``seconds`` (a little work), stamped with pid and times."""
    _validate.seconds(seconds)
    start = time.time()
    time.sleep(seconds)
    return Stamp(cube(x), os.getpid(), start, time.time())


def _wait_for_all(barrier: Barrier) -> None:
    # BrokenBarrierError: fewer workers started than planned (fewer tasks than workers)
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=10)


def pool_all_started(workers: int, mp_context: BaseContext) -> ProcessPoolExecutor:
    """A process pool whose workers, before their first task, wait until all have started.

    Under spawn and forkserver workers start one by one as tasks arrive; on a busy machine the
    first can finish every task before the last is up. Waiting for each other gives each worker
    a share, so a timeline of the pool shows every worker, run after run. Give it at least
    ``workers`` tasks at once: a worker waits up to 10 s for the others.
    """
    _validate.integer(workers, "workers", 1)
    if not isinstance(mp_context, BaseContext):
        raise TypeError(f"mp_context must be a multiprocessing context, not {mp_context!r}")
    barrier = mp_context.Barrier(workers)
    return ProcessPoolExecutor(
        workers, mp_context=mp_context, initializer=_wait_for_all, initargs=(barrier,)
    )


def chunk_spans(stamps: list[Stamp], chunksize: int) -> list[Span]:
    """One timeline span per chunk of ``chunksize`` consecutive items, from ``map``'s stamps.

    ``Executor.map(..., chunksize=n)`` sends items ``0..n-1``, ``n..2n-1``, ... to a worker as
    one message; each chunk runs in one process, so its span is first start to last end.
    """
    _validate.integer(chunksize, "chunksize", 1)
    spans = []
    for first in range(0, len(stamps), chunksize):
        chunk = stamps[first : first + chunksize]
        if len({s.pid for s in chunk}) != 1:
            raise ValueError(f"items {first}..{first + len(chunk) - 1} ran in several processes")
        label = f"{first}-{first + len(chunk) - 1}"
        spans.append(Span(label, "MainThread", chunk[0].pid, chunk[0].start, chunk[-1].end))
    return spans


# --- initializer --------------------------------------------------------------------------------

_table: dict[int, int] = {}
_loads = 0


def load_table(size: int, seconds: float = 0.0) -> None:
    """Pool initializer: build a lookup table once per worker process (``seconds`` to "load")."""
    global _loads
    _validate.integer(size, "size", 1)
    time.sleep(_validate.seconds(seconds))
    _table.clear()
    _table.update({i: i * i for i in range(size)})
    _loads += 1


def lookup(key: int, seconds: float = 0.0) -> tuple[int, int, int]:
    """Look ``key`` up in this process's table: ``(value, pid, times this process loaded it)``."""
    if not _table:
        raise RuntimeError("no table in this process: create the pool with initializer=load_table")
    time.sleep(_validate.seconds(seconds))
    return _table[key], os.getpid(), _loads
