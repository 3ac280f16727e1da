"""Making pools: the course's one start-method knob, and pools that start every worker first.

Set the environment variable ``COURSE_START_METHOD`` to ``fork``, ``spawn`` or ``forkserver``
(before starting Jupyter or the tests) to run every process-pool demo with that start method;
leave it unset for the platform's default (spawn on macOS and Windows; fork on Linux up to
Python 3.13, forkserver from 3.14). Notebooks pass ``mp_context=mp_context()`` to their own
``ProcessPoolExecutor``; the experiments use :func:`make_pool`.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.context import BaseContext

from helpers import _validate
from helpers.workers import per_process

START_METHOD_ENV = "COURSE_START_METHOD"
WAYS = ("threads", "processes")  # the pools make_pool makes


def start_method() -> str:
    """The start method process pools in this course use: the knob's value or the default."""
    chosen = os.environ.get(START_METHOD_ENV, "").strip()
    if not chosen:
        return multiprocessing.get_start_method()
    available = multiprocessing.get_all_start_methods()
    if chosen not in available:
        raise ValueError(
            f"{START_METHOD_ENV}={chosen!r} is not a start method on this platform; "
            f"choose one of {', '.join(available)}"
        )
    return chosen


def mp_context() -> BaseContext:
    """The context to pass as ``ProcessPoolExecutor(mp_context=...)``: the chosen start method."""
    return multiprocessing.get_context(start_method())


def warm_up(pool: Executor, workers: int, *, timeout: float = 60.0) -> int:
    """Block until all ``workers`` processes of ``pool`` have started and run a task.

    Pools start their processes lazily (and under spawn or forkserver each start costs a fresh
    interpreter), so timing the first tasks would time the start-up too, and on a busy machine
    the first worker could run every task before the last one is up. Returns the number of
    distinct worker processes seen.
    """
    _validate.integer(workers, "workers", 1)
    _validate.positive(timeout, "timeout")
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(seen)} of {workers} workers started in {timeout}s")
        seen |= set(pool.map(per_process.pid_after_nap, [0.02] * workers))
    return len(seen)


def make_pool(
    way: str, workers: int, *, warm: bool = False, context: BaseContext | None = None
) -> Executor:
    """A ``ThreadPoolExecutor`` or a ``ProcessPoolExecutor`` (with the course's start method).

    ``way`` is ``"threads"`` or ``"processes"``. ``warm=True``: every worker process has started
    before the pool is returned (see :func:`warm_up`), so timings leave start-up out and every
    worker gets a share of the first tasks. ``context`` overrides the start method.
    """
    _validate.integer(workers, "workers", 1)
    if context is not None and not isinstance(context, BaseContext):
        raise TypeError(f"context must be a multiprocessing context, not {context!r}")
    if way == "threads":
        return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thread")
    if way != "processes":
        raise ValueError(f"way must be one of {WAYS}, not {way!r}")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context or mp_context())
    if warm:
        try:
            warm_up(pool, workers)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return pool
