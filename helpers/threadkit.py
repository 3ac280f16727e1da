"""Small thread tools for the notebooks on races, locks and results (02-04).

They hide plumbing that would distract from a lesson: starting named threads at the same moment,
measuring how many threads are inside a block at once, and reporting an exception raised in a
thread in two stable lines instead of a traceback full of machine-specific paths.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


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
