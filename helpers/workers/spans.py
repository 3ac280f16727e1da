"""A task's span -- who ran it, where and when -- recorded where the task runs.

In a thread the span can go straight into the shared :class:`helpers.timeline.Timeline`; in a
child process it cannot (the child has its own memory), so :func:`recorded` returns the span
*with* the result and the parent adds it. Times are ``time.time()`` so that spans from different
processes line up.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from helpers import _validate

T = TypeVar("T")


@dataclass(frozen=True)
class Span:
    """One task's run: its label, the thread and process that ran it, start and end times."""

    label: str
    thread: str
    pid: int
    start: float
    end: float

    def __post_init__(self) -> None:
        _validate.label(self.label, "label")
        if self.end < self.start:
            raise ValueError(f"span {self.label!r} ends before it starts")


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """A task's result together with the span that produced it (sent back from a process)."""

    result: T
    span: Span


def recorded(label: str, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Recorded[T]:
    """Run ``fn(*args, **kwargs)`` and return its result with the span it ran in.

    Picklable when ``fn`` is (a module-level function of an importable module), so it can be
    submitted to a process pool: ``pool.submit(spans.recorded, "task 1", cpu.cpu_task, 10_000)``.
    """
    _validate.label(label, "label")
    if not callable(fn):
        raise TypeError(f"fn must be callable, not {type(fn).__name__}")
    start = time.time()
    result = fn(*args, **kwargs)
    end = time.time()
    return Recorded(result, Span(label, threading.current_thread().name, os.getpid(), start, end))
