"""Tasks that fail, hang, crash or stop on request, for notebooks/10_when_things_go_wrong.ipynb.

They live here, not in the notebook, so the same tasks run in thread pools *and* process pools
(a process pool needs workers it can import). ``TaskFailed`` is a plain ``Exception`` subclass
with one message, so it pickles back from a worker process unchanged.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager

from helpers import _validate


class TaskFailed(Exception):
    """Raised by :func:`task` when asked to fail: stands in for any error inside a task."""


def task(
    name: str, seconds: float, fail: bool = False, *, stop: threading.Event | None = None
) -> str:
    """Work for ``seconds``, then return ``"<name> finished"`` or raise :class:`TaskFailed`.

    With a ``stop`` event (threads only) the task is *cooperative*: it returns
    ``"<name> stopped early"`` as soon as the event is set -- the only way to stop a running
    thread, which Python cannot kill from outside.
    """
    _validate.label(name, "name")
    _validate.seconds(seconds)
    if stop is None:
        time.sleep(seconds)
    elif stop.wait(seconds):
        return f"{name} stopped early"
    if fail:
        raise TaskFailed(f"task {name} failed")
    return f"{name} finished"


def crash(seconds: float = 0.0, exit_code: int = 1) -> None:
    """Sleep ``seconds``, then end this process at once with ``os._exit``: a worker that dies.

    Stands in for a segfault in a C extension or the out-of-memory killer: no exception, no
    clean-up, the process is simply gone. Only ever submit it to a *process* pool.
    """
    _validate.seconds(seconds)
    _validate.integer(exit_code, "exit_code", 0)
    time.sleep(seconds)
    os._exit(exit_code)


def describe(future: Future) -> str:
    """One line saying how a future ended (or that it has not): for tables of outcomes."""
    if not isinstance(future, Future):
        raise TypeError(f"expected a Future, not {type(future).__name__}")
    if future.cancelled():
        return "cancelled"
    if not future.done():
        return "running" if future.running() else "pending"
    error = future.exception()
    if error is not None:
        return f"raised {type(error).__name__}: {error}"
    return f"returned {future.result()!r}"


def outcome(future: Future) -> str:
    """How a future ended, as a category to count: finished, stopped early, the error's name..."""
    description = describe(future)
    if not description.startswith("returned "):
        return description.split(":")[0].removeprefix("raised ")
    result = future.result()
    if isinstance(result, str) and result.endswith("stopped early"):
        return "stopped early"
    return "finished"


def _interrupt_main_thread() -> None:
    """Deliver SIGINT to the main thread, as Kernel -> Interrupt does (a real signal on POSIX)."""
    if hasattr(signal, "pthread_kill"):
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
    else:  # Windows: no pthread_kill; simulate the signal instead
        import _thread

        _thread.interrupt_main()


@contextmanager
def interrupt_after(seconds: float) -> Iterator[None]:
    """Raise ``KeyboardInterrupt`` in the main thread ``seconds`` into the ``with`` block.

    It stands in for pressing Kernel -> Interrupt in Jupyter, so a notebook can show what an
    interrupt does to a pool without anyone pressing anything. The timer thread is cancelled
    and joined when the block ends, so nothing is left running.
    """
    _validate.seconds(seconds)
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("interrupt_after() must be used in the main thread")
    timer = threading.Timer(seconds, _interrupt_main_thread)
    timer.name = "interrupter"
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
