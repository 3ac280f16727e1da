"""Start methods and what a process pool costs: measurements behind processes in depth.

The documented default start method per platform and version, a pool's start-up time, the
round trip of a big argument, the last error line a dying worker wrote, and one timeline span
per ``chunksize`` chunk. The tasks they time live in :mod:`helpers.workers.tiny`.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from helpers import _validate
from helpers.pools import stopping_on_interrupt
from helpers.workers.per_process import ignore_interrupts
from helpers.workers.spans import Span
from helpers.workers.tiny import Stamp, cube, size_of


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
    context = multiprocessing.get_context(method)
    start = time.perf_counter()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=ignore_interrupts)
    with stopping_on_interrupt(pool):
        list(pool.map(cube, range(workers)))
    return time.perf_counter() - start


def last_error_line(path: str | Path) -> str:
    """The last ``SomeError: message`` line written to ``path`` (a worker's stderr file).

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


# How a worker says it cannot find a function: up to 3.13, then from 3.14 on.
_MISSING = (
    re.compile(
        r"AttributeError: Can't get attribute '(?P<name>[\w.]+)' on <module '(?P<module>[\w.]+)'"
    ),
    re.compile(r"AttributeError: module '(?P<module>[\w.]+)' has no attribute '(?P<name>[\w.]+)'"),
)


def missing_attribute(error_line: str) -> tuple[str, str] | None:
    """``(module, name)`` from a worker's "cannot find ``name`` in ``module``" error, else None.

    Python 3.11-3.13 say ``Can't get attribute 'f' on <module '__main__' ...>``; 3.14 and
    newer say ``module '__main__' has no attribute 'f'``: the same fact in other words.
    """
    if not isinstance(error_line, str):
        raise TypeError(f"error_line must be a string, not {type(error_line).__name__}")
    for pattern in _MISSING:
        found = pattern.search(error_line)
        if found:
            return found["module"], found["name"]
    return None


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
