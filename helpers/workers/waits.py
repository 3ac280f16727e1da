"""Tasks that wait: stand-ins for I/O (a download, a query) whose length and result we choose.

A waiting thread holds no core and releases the GIL, so many of these overlap in threads as well
as in processes. :func:`square` fails for the inputs we choose, to show where a task's exception
surfaces.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import TypeVar

from helpers import _validate

T = TypeVar("T")


def wait_some_time(seconds: float) -> float:
    """Sleep ``seconds`` (stands in for I/O: the thread waits, the CPU is free); return it."""
    time.sleep(_validate.seconds(seconds))
    return seconds


def returns_after(seconds: float, value: T) -> T:
    """Sleep ``seconds``, then return ``value``: a task whose duration and result we choose."""
    time.sleep(_validate.seconds(seconds))
    return value


def square(n: int, *, seconds: float = 0.0, fail_on: Collection[int] = ()) -> int:
    """Return ``n * n`` after ``seconds``; raise ValueError instead when ``n`` is in ``fail_on``.

    A task that fails for a given input, to show where a task's exception surfaces.
    """
    _validate.integer(n, "n")
    time.sleep(_validate.seconds(seconds))
    if n in fail_on:
        raise ValueError(f"square({n}) failed on purpose")
    return n * n
