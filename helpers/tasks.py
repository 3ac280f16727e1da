"""Small tasks for the executor notebooks (05 futures, 06 map, 07 as_completed).

Each task does one thing a lesson needs, deterministically: sleep and return a value (stands in
for I/O that yields a result), fail for chosen inputs, block until the notebook opens a gate (so
a future's state can be pinned), count its calls (so work that happened without anyone seeing
its result can be proven). They are meant for *thread* pools; they are importable, so they would
pickle for a process pool too, except :func:`wait_for` and :class:`CallCounter`, whose events and
counts only make sense inside one process. Two small tools go with them: :func:`thread_names`
lists a pool's live threads, :func:`mark_times` draws on a timeline when the caller got results.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from helpers import _validate

if TYPE_CHECKING:
    from matplotlib.figure import Figure

T = TypeVar("T")


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


def wait_for(
    gate: threading.Event,
    value: T,
    *,
    started: threading.Event | None = None,
    timeout: float = 10.0,
) -> T:
    """Block until ``gate`` is set, then return ``value``.

    Sets ``started`` first (if given), so the caller can wait until the task is surely
    *running*. Raises TimeoutError after ``timeout`` seconds, so a gate that a demo forgets to
    open cannot hang the kernel forever.
    """
    if not isinstance(gate, threading.Event):
        raise TypeError(f"gate must be a threading.Event, not {type(gate).__name__}")
    if started is not None and not isinstance(started, threading.Event):
        raise TypeError(f"started must be a threading.Event or None, not {type(started).__name__}")
    _validate.seconds(timeout, "timeout")
    if started is not None:
        started.set()
    if not gate.wait(timeout):
        raise TimeoutError(f"the gate was not opened within {timeout} s")
    return value


def mark_times(fig: Figure, times: Sequence[float], *, t0: float, label: str) -> Figure:
    """Draw a dashed vertical line at each of ``times`` on a timeline plot, with one legend entry.

    Shows *when the caller got each result* on top of the tasks' bars (``Timeline.plot``);
    ``t0`` is the timeline's time zero (``tl.t0``). Returns the same Figure.
    """
    if not fig.axes:
        raise ValueError("the figure has no axes: pass the Figure returned by Timeline.plot")
    _validate.label(label, "label")
    if not times:
        raise ValueError("times must contain at least one time")
    ax = fig.axes[0]
    for i, t in enumerate(times):
        ax.axvline(
            t - t0, color="black", linestyle="--", linewidth=1, label=label if i == 0 else None
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


def thread_names(prefix: str) -> list[str]:
    """Sorted names of the live threads whose name starts with ``prefix`` (e.g. a pool's)."""
    _validate.label(prefix, "prefix")
    return sorted(t.name for t in threading.enumerate() if t.name.startswith(prefix))


class CallCounter(Generic[T]):
    """Wrap a function and count, thread-safely, how often it was called and how often it raised.

    Proves that tasks ran even when nobody looked at their results or exceptions.
    """

    def __init__(self, fn: Callable[..., T]) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable, not {type(fn).__name__}")
        self.fn = fn
        self._lock = threading.Lock()
        self._calls = 0
        self._errors: list[BaseException] = []

    def __call__(self, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            self._calls += 1
        try:
            return self.fn(*args, **kwargs)
        except Exception as exc:
            with self._lock:
                self._errors.append(exc)
            raise

    @property
    def calls(self) -> int:
        """How many calls started so far."""
        with self._lock:
            return self._calls

    @property
    def errors(self) -> list[BaseException]:
        """The exceptions raised so far, in the order they were raised."""
        with self._lock:
            return list(self._errors)
