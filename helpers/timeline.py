"""Timeline recorder: who ran which task when, drawn as a Gantt chart (one row per worker).

A span is recorded where the task runs (:mod:`helpers.workers.spans`): a thread adds it to the
shared :class:`Timeline` itself, a child process returns it with the result and the parent adds
it with :meth:`Timeline.add`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt
import pandas as pd

from helpers import _validate
from helpers.timing import format_seconds
from helpers.workers.spans import Recorded, Span

if TYPE_CHECKING:
    from matplotlib.figure import Figure

T = TypeVar("T")


class Timeline:
    """Collects spans from threads (thread-safe) and processes; tabulates and plots them."""

    def __init__(self, t0: float | None = None) -> None:
        """``t0`` is time zero of the table and plot: now, unless given (0.0 for simulations)."""
        self.t0 = time.time() if t0 is None else float(_validate.number(t0, "t0"))
        self._spans: list[Span] = []
        self._lock = threading.Lock()

    @contextmanager
    def span(self, label: str) -> Iterator[None]:
        """Record the ``with`` block as a span of the current thread."""
        _validate.label(label, "label")
        start = time.time()
        try:
            yield
        finally:
            self.add(Span(label, threading.current_thread().name, os.getpid(), start, time.time()))

    def run(self, label: str, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Call ``fn`` in the current thread, record its span, return its result."""
        with self.span(label):
            return fn(*args, **kwargs)

    def add(self, item: Span | Recorded[T]) -> T | None:
        """Add a span, or a :class:`Recorded` from a process (its result is returned)."""
        if isinstance(item, Recorded):
            span, result = item.span, item.result
        elif isinstance(item, Span):
            span, result = item, None
        else:
            raise TypeError(f"expected a Span or Recorded, not {type(item).__name__}")
        with self._lock:
            self._spans.append(span)
        return result

    @property
    def spans(self) -> list[Span]:
        """The spans so far, in order of start time."""
        with self._lock:
            return sorted(self._spans, key=lambda s: (s.start, s.label))

    def workers(self) -> list[str]:
        """Row names, in order of each worker's first start: thread names, or ``process N`` rows."""
        spans = self.spans
        pids = list(dict.fromkeys(s.pid for s in spans))
        return list(dict.fromkeys(self._worker_name(s, pids) for s in spans))

    @staticmethod
    def _worker_name(span: Span, pids: list[int]) -> str:
        return span.thread if len(pids) <= 1 else f"process {pids.index(span.pid) + 1}"

    def makespan(self) -> float:
        """Seconds from the first span's start to the last span's end."""
        if not self._spans:
            raise ValueError("the timeline has no spans")
        spans = self.spans
        return max(s.end for s in spans) - min(s.start for s in spans)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per span: label, worker, thread, pid, start/end/duration in s since ``t0``."""
        spans = self.spans
        pids = list(dict.fromkeys(s.pid for s in spans))
        rows = [
            {
                "label": s.label,
                "worker": self._worker_name(s, pids),
                "thread": s.thread,
                "pid": s.pid,
                "start": s.start - self.t0,
                "end": s.end - self.t0,
                "duration": s.end - s.start,
            }
            for s in spans
        ]
        columns = ["label", "worker", "thread", "pid", "start", "end", "duration"]
        return pd.DataFrame(rows, columns=columns)

    def table(self) -> pd.DataFrame:
        """The spans for display: label, worker, start, end, duration in the course's time format.

        Printed times vary run to run; formatted like this, tests/sanitize.cfg normalises them
        while the order of the rows (by start time) and the worker names are still compared.
        """
        df = self.to_dataframe()[["label", "worker", "start", "end", "duration"]]
        for column in ("start", "end", "duration"):
            df[column] = df[column].map(format_seconds)
        return df

    def plot(self, title: str = "Timeline", *, width: float = 8.0) -> Figure:
        """Draw a Gantt chart, one row per worker, each task a labelled bar. Returns the Figure."""
        if not self._spans:
            raise ValueError("nothing to plot: the timeline has no spans yet")
        _validate.positive(width, "width (inches)")
        df = self.to_dataframe()
        workers = self.workers()
        fig, ax = plt.subplots(figsize=(width, 0.5 + 0.45 * len(workers)), layout="constrained")
        colors = plt.get_cmap("tab20").colors
        for i, row in enumerate(df.itertuples()):
            y = workers.index(row.worker)
            ax.barh(y, row.duration, left=row.start, height=0.7, color=colors[i % len(colors)])
            middle = row.start + row.duration / 2
            ax.text(middle, y, row.label, ha="center", va="center", fontsize=8)
        ax.set_yticks(range(len(workers)), workers)
        ax.invert_yaxis()
        ax.set_xlabel("seconds since start")
        ax.set_xlim(left=0)
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)
        plt.close(fig)  # shown once, by returning it, not again by the inline backend
        return fig
