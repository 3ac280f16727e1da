"""Tasks so small that what they cost in a process pool is the pool's own overhead.

:func:`cube` is trivial arithmetic; :func:`size_of` does nothing with its argument but measure
it, so timing it measures the cost of *sending* the argument; :func:`stamped_cube` records which
process ran it and when, so ``chunksize`` can be drawn on a timeline.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from helpers import _validate


def cube(x: int) -> int:
    """``x ** 3``: a trivial task whose cost is all overhead when run in a process pool."""
    _validate.integer(x, "x")
    return x**3


def size_of(data: bytes) -> int:
    """``len(data)``: the task is trivial, so timing it measures the cost of sending ``data``."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    return len(data)


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
