"""Workers that report through log records instead of printing (notebook 15).

``print`` or logging in a worker process writes to the worker's own standard output or error,
not to the notebook cell that submitted the task. :func:`forward_logs`, a pool initializer,
sends every log record of the worker to a queue instead; a ``logging.handlers.QueueListener`` in
the notebook hands them to the notebook's handlers. :func:`logged_square` logs one record;
:func:`noisy_square` prints instead, the plain thing to write and the pitfall.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from typing import Any

from helpers import _validate

LOGGER_NAME = "worker"


def forward_logs(queue: Any, level: int = logging.INFO) -> None:
    """Pool initializer: this worker's log records go to ``queue`` (and nowhere else).

    ``queue`` is a ``multiprocessing`` queue given to the pool as ``initargs``. The root
    logger's own handlers are removed first: under fork a worker inherits the notebook's.
    """
    if not hasattr(queue, "put_nowait"):
        raise TypeError(f"queue must be a queue with put_nowait, not {type(queue).__name__}")
    _validate.integer(level, "level", 0)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.handlers.QueueHandler(queue))
    root.setLevel(level)


def logged_square(x: int) -> int:
    """``x * x``, logging one INFO record ``square of x`` (with the worker's pid in the record)."""
    _validate.integer(x, "x")
    logging.getLogger(LOGGER_NAME).info("square of %d (in pid %d)", x, os.getpid())
    return x * x


def noisy_square(x: int) -> int:
    """``x * x``, printing ``working on x`` first: where a worker's ``print`` goes (notebook 15).

    Flushed at once, so the line leaves the worker while its task runs, not when it exits.
    """
    _validate.integer(x, "x")
    print("working on", x, flush=True)
    return x * x
