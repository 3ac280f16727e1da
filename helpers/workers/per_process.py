"""State and set-up that live in each worker process: pool initializers and the tasks using them.

A pool's ``initializer`` runs once in every worker process before its first task. It is the one
place where a worker module keeps state: :func:`load_table` builds a table that :func:`lookup`
reads, :func:`stderr_to_file` sends a worker's error output to a file, :func:`pid_after_nap`
tells which process ran it (how a pool is made to start all its workers before timing),
:func:`ignore_interrupts` leaves Ctrl+C and Jupyter's Interrupt to the process that made the pool,
:func:`slow_to_end` makes a worker take its time to end when terminated (as one saving its work).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from helpers import _validate

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


def stderr_to_file(path: str) -> None:
    """Pool initializer: send this worker process's stderr to the file ``path`` (appending).

    A worker that dies prints its traceback on its stderr; in Jupyter that lands in whichever
    cell happens to run, or in the terminal that started Jupyter. A file keeps it readable.
    """
    if not isinstance(path, str) or not path:
        raise ValueError(f"path must be a non-empty string, not {path!r}")
    sys.stderr = open(path, "a", buffering=1)  # noqa: SIM115 -- lives as long as the process


def pid_after_nap(seconds: float) -> int:
    """Sleep ``seconds``, then return this process's id: which worker ran the task."""
    time.sleep(_validate.seconds(seconds))
    return os.getpid()


def ignore_interrupts(then: Callable[..., Any] | None = None, *args: Any) -> None:
    """Pool initializer: this worker ignores SIGINT, then runs ``then(*args)`` if given.

    Ctrl+C in a terminal and Jupyter's *Kernel -> Interrupt* send SIGINT to every process of
    the group, a pool's workers included: each would raise ``KeyboardInterrupt`` in the middle
    of a task (its traceback lands in the terminal that started Jupyter) and the pool would
    break. Ignoring it leaves the interrupt to the main program, which stops the pool.
    ``then`` chains another initializer: ``initargs=(load_table, 1000)``.
    """
    if then is not None:
        _validate.function(then, "then")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if then is not None:
        then(*args)


def slow_to_end(seconds: float) -> None:
    """Pool initializer: on SIGTERM this worker takes ``seconds`` to end instead of ending at once.

    Stands in for a program that saves its work before it exits. Ending such workers
    (``terminate()``) takes a while, which is when a second press of Interrupt arrives; 10
    shows that a careful cell still ends them all. SIGKILL (``kill()``) still ends it at once.
    On Windows ``terminate()`` ends a process without asking, so there it ends at once.
    """
    _validate.seconds(seconds)

    def end_after_a_while(signum: int, frame: object) -> None:
        time.sleep(seconds)
        os._exit(128 + signum)  # the status a shell reports for a process ended by that signal

    signal.signal(signal.SIGTERM, end_after_a_while)
