"""Tasks that fail, stop on request, or kill the process they run in.

The same tasks run in thread pools and process pools. ``TaskFailed`` is a plain ``Exception``
subclass with one message, so it pickles back from a worker process unchanged.
"""

from __future__ import annotations

import os
import threading
import time

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
