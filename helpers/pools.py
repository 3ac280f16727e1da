"""Making pools: the course's one start-method knob, and pools that start every worker first.

Set the environment variable ``COURSE_START_METHOD`` to ``fork``, ``spawn`` or ``forkserver``
(before starting Jupyter or the tests) to run every process-pool demo with that start method;
leave it unset for the platform's default (spawn on macOS and Windows; fork on Linux up to
Python 3.13, forkserver from 3.14). Notebooks pass ``mp_context=mp_context()`` to their own
``ProcessPoolExecutor``; the experiments use :func:`make_pool`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import (
    Executor,
    Future,
    InvalidStateError,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from typing import TypeVar

from helpers import _validate
from helpers.workers import per_process

START_METHOD_ENV = "COURSE_START_METHOD"
WAYS = ("threads", "processes")  # the pools make_pool makes
_Pool = TypeVar("_Pool", bound=Executor)


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
    A process pool's workers ignore SIGINT (Jupyter's Interrupt signals the whole process
    group; a worker takes it for its task's error or dies inside the pool's queues, CPython
    gh-125886), and an exception -- an interrupt -- that leaves its ``with`` block ends them at
    once (:func:`stop_now`) rather than waiting for their work. (An interrupted 14 once left
    the kernel waiting over 60 s in such a pool under ``make test-survive``.)
    """
    _validate.integer(workers, "workers", 1)
    if context is not None and not isinstance(context, BaseContext):
        raise TypeError(f"context must be a multiprocessing context, not {context!r}")
    if way == "threads":
        return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thread")
    if way != "processes":
        raise ValueError(f"way must be one of {WAYS}, not {way!r}")
    pool = _StoppingProcessPool(
        max_workers=workers,
        mp_context=context or mp_context(),
        initializer=per_process.ignore_interrupts,  # Interrupt is the kernel's, not the workers'
    )
    if warm:
        try:
            warm_up(pool, workers)
        except BaseException:
            stop_now(pool)  # an interrupt during warm-up must not leave workers behind
            raise
    return pool


class _StoppingProcessPool(ProcessPoolExecutor):
    """A process pool whose ``with`` block ends its workers at once when an exception leaves it
    (as :func:`stopping_on_interrupt` does for any pool), and waits for the work otherwise."""

    def __enter__(self) -> _StoppingProcessPool:
        self._children_before = set(multiprocessing.active_children())
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool:
        if exc_type is not None:
            self._stop_at_once()
            return False
        try:
            wait_for_the_work(self)
        except BaseException:  # an interrupt during the final wait
            self._stop_at_once()
            raise
        return False

    def _stop_at_once(self) -> None:
        # workers started in the block that the pool had not registered yet are ended too
        with interrupts_ignored():
            before = getattr(self, "_children_before", set())
            stop_now(self, also=tuple(set(multiprocessing.active_children()) - before))


def _pending(pool: ProcessPoolExecutor) -> list:
    """The pool's work items not known to be done, copied (its manager thread changes them)."""
    return list((getattr(pool, "_pending_work_items", None) or {}).copy().values())


def wait_for_the_work(pool: Executor, *, every: float = 0.1) -> None:
    """``pool.shutdown(wait=True)``, but waiting in slices of ``every`` seconds.

    On Windows an interrupt -- Jupyter's Interrupt included -- only sets a flag, which a main
    thread blocked in one long wait reads when the wait ends: after all the work, in
    ``shutdown(wait=True)``. Between two short waits it reads it at once, on every system.
    (It reads the pool's private ``_pending_work_items`` or ``_threads``, there from 3.11 on.)
    """
    if not isinstance(pool, Executor):
        raise TypeError(f"pool must be an Executor, not {type(pool).__name__}")
    _validate.positive(every, "every")
    if isinstance(pool, ProcessPoolExecutor):
        # work id -> item of the futures not done yet; the pool does not always remove a
        # cancelled one, so wait until every future in it is done (finished, failed, cancelled)
        while not all(item.future.done() for item in _pending(pool)):
            time.sleep(every)
    else:
        threads = list(getattr(pool, "_threads", ()))
        pool.shutdown(wait=False)  # each thread ends after the queued work
        for thread in threads:
            while thread.is_alive():
                thread.join(every)
    pool.shutdown(wait=True)


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Ignore SIGINT -- Ctrl+C, Kernel -> Interrupt -- inside the block, then restore its handler.

    For the moments a cell ends its workers: a learner whose first press of Interrupt seemed
    slow presses again, and that second ``KeyboardInterrupt``, raised halfway through the
    ending (in a ``join()``, say), would leave workers running with nothing left to end them.
    A press inside the block is dropped: the cell is stopping already. Only the main thread
    may change a signal's handler, and only the main thread gets ``KeyboardInterrupt``, so in
    any other thread the block changes nothing. (An interrupt that arrives in the instant
    before the block starts still gets through: start the block first thing.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop_now(pool: Executor, *, also: tuple = (), grace: float = 2.0) -> None:
    """End ``pool`` without waiting for its work: cancel every queued task, end the workers.

    A process pool's workers are terminated (``terminate_workers()`` from Python 3.14, the same
    by hand before), then killed if still alive after ``grace`` seconds; ``also`` names more
    ``multiprocessing`` processes to end (workers the pool had not registered yet). Interrupt
    is ignored meanwhile (:func:`interrupts_ignored`). A thread pool's threads cannot be stopped
    from outside: they finish their current task and exit.
    """
    if not isinstance(pool, Executor):
        raise TypeError(f"pool must be an Executor, not {type(pool).__name__}")
    _validate.seconds(grace, "grace")
    if not isinstance(pool, ProcessPoolExecutor):
        pool.shutdown(wait=False, cancel_futures=True)
        return
    with interrupts_ignored():
        _end_workers(pool, also, grace)


def _end_workers(pool: ProcessPoolExecutor, also: tuple, grace: float) -> None:
    processes = {*(getattr(pool, "_processes", None) or {}).values(), *also}
    manager = getattr(pool, "_executor_manager_thread", None)  # marks the futures broken
    items = _pending(pool)
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
    else:
        pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            if process.is_alive():
                process.terminate()
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
        except (ValueError, ProcessLookupError):  # closed or gone already
            continue
    pool.shutdown(wait=True)
    if manager is not None:  # a first shutdown(wait=False) made shutdown() forget it: join here
        manager.join(grace + 5.0)
    _settle([item.future for item in items], grace)


def _settle(futures: list[Future], grace: float) -> None:
    """Every future done when stop_now returns: the manager thread marks the ended workers' tasks
    broken; where it had already exited (an interrupt can land mid-shutdown), this does."""
    # not the cancelled ones: wait() never counts a future cancelled by shutdown() as done
    wait([future for future in futures if not future.cancelled()], timeout=grace)
    for future in futures:
        if not future.done():
            with contextlib.suppress(InvalidStateError):  # the manager got there first
                future.set_exception(BrokenProcessPool("the pool's workers were ended"))


@contextmanager
def stopping_on_interrupt(pool: _Pool) -> Iterator[_Pool]:
    """``with stopping_on_interrupt(ProcessPoolExecutor(...)) as pool:`` -- a block that stops fast.

    A plain ``with pool:`` waits on its way out for every queued task, and an interrupt that
    arrives during that wait leaves the workers running. Here the block waits for the work when
    it ends normally (in short slices, :func:`wait_for_the_work`, so an interrupt gets through
    on Windows too); when an exception leaves it -- ``KeyboardInterrupt`` included, even one
    that arrives during the final wait -- :func:`stop_now` cancels the queue and ends the
    workers before the exception goes on. Workers started while the pool was being set up
    are ended too.
    """
    if not isinstance(pool, Executor):
        raise TypeError(f"pool must be an Executor, not {type(pool).__name__}")
    before = set(multiprocessing.active_children())
    try:
        yield pool
        wait_for_the_work(pool)
    except BaseException:
        with interrupts_ignored():  # a second Interrupt must not cut the ending short
            started = tuple(set(multiprocessing.active_children()) - before)
            stop_now(pool, also=started)
        raise
