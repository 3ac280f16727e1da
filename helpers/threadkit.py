"""Small thread tools that several notebooks use to make a lesson visible.

Starting named threads at the same moment, measuring how many threads are inside a block at once,
reporting an exception raised in a thread in two stable lines, a task that blocks until the
notebook opens a gate (so a future's state can be pinned), a call counter (so work that happened
without anyone seeing its result can be proven), and the names of a pool's live threads.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from helpers import _validate

T = TypeVar("T")


def run_threads(
    target: Callable[..., object],
    names: Sequence[str],
    *,
    args: Sequence[tuple[Any, ...]] | None = None,
) -> None:
    """Run ``target(*args[i])`` in a thread named ``names[i]``, all released at once; join all.

    A :class:`threading.Barrier` holds every thread until the last one has started, so the
    threads really run at the same time instead of one finishing before the next begins.
    """
    if not callable(target):
        raise TypeError(f"target must be callable, not {type(target).__name__}")
    if isinstance(names, str) or not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError("names must be a non-empty sequence of non-empty thread names")
    if args is None:
        args = [()] * len(names)
    if len(args) != len(names) or not all(isinstance(a, tuple) for a in args):
        raise ValueError("args must hold one tuple of arguments per thread name")
    start_line = threading.Barrier(len(names))

    def together(*a: Any) -> None:
        start_line.wait()
        target(*a)

    threads = [
        threading.Thread(target=together, args=a, name=n) for n, a in zip(names, args, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class ConcurrencyMeter:
    """Count how many threads are inside ``with meter:`` at the same time; ``peak`` is the most."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.peak = 0

    def __enter__(self) -> ConcurrencyMeter:
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self.current -= 1


@contextmanager
def thread_errors_in_brief() -> Iterator[list[tuple[str, BaseException]]]:
    """Within the block, an exception that ends a thread is reported in two lines, no traceback.

    The default :func:`threading.excepthook` prints ``Exception in thread NAME:``, a traceback
    (file paths and line numbers differ per machine and version) and the error. This hook
    prints the first and the last of those, and collects ``(thread name, exception)`` in the
    yielded list. The previous hook is restored on exit.
    """
    errors: list[tuple[str, BaseException]] = []
    previous = threading.excepthook

    def brief(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # like the default hook: a thread may exit quietly
            return
        name = args.thread.name if args.thread is not None else "<unknown>"
        if args.exc_value is not None:
            errors.append((name, args.exc_value))
        last = traceback.format_exception_only(args.exc_type, args.exc_value)[-1]
        print(f"Exception in thread {name}:\n{last}", end="", file=sys.stderr)

    threading.excepthook = brief
    try:
        yield errors
    finally:
        threading.excepthook = previous


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
