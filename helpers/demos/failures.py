"""What a future's outcome was, and a stand-in for Kernel -> Interrupt (notebook 10's story).

:func:`describe` and :func:`outcome` turn futures into lines and categories for tables of
outcomes; :func:`interrupt_after` raises ``KeyboardInterrupt`` in the main thread a moment into a
``with`` block, as pressing Interrupt would, so a notebook can show what an interrupt does.
"""

from __future__ import annotations

import _thread
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager

from helpers import _validate


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
        _thread.interrupt_main()


@contextmanager
def interrupt_after(seconds: float, *again: float) -> Iterator[None]:
    """Raise ``KeyboardInterrupt`` in the main thread ``seconds`` into the ``with`` block.

    It stands in for pressing Kernel -> Interrupt in Jupyter, so a notebook can show what an
    interrupt does to a pool without anyone pressing anything; ``again`` gives the moments of
    more presses (counted from the block's start, like ``seconds``), as a learner presses
    again when the first seems slow. The timer threads are cancelled and joined when the
    block ends, so nothing is left running. On Windows (no ``pthread_kill``) it only sets the
    flag the main thread checks between two Python instructions, as Jupyter's own Interrupt
    does there: a main thread blocked in one long ``wait()`` sees it when the wait returns,
    so wait in short slices.
    """
    moments = [_validate.seconds(s) for s in (seconds, *again)]
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("interrupt_after() must be used in the main thread")
    timers = [threading.Timer(moment, _interrupt_main_thread) for moment in moments]
    for timer in timers:
        timer.name = "interrupter"
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        for timer in timers:
            timer.cancel()
            timer.join()
