"""Tasks whose result or exception cannot travel back from a worker process (notebook 15).

A process pool pickles a task's result (or its exception) in the worker and unpickles it in the
notebook. :func:`returns_a_lock` returns something pickle refuses, so the worker reports a
``TypeError`` and the pool carries on. :func:`raises_coded_error` raises :class:`CodedError`, which
pickles fine but cannot be *rebuilt*: unpickling calls ``CodedError(message)``, one argument short,
and the pool breaks (``BrokenProcessPool``). :class:`FixedCodedError` shows the fix.
"""

from __future__ import annotations

import threading

from helpers import _validate


class CodedError(Exception):
    """An error with two constructor arguments that passes only a message on to ``Exception``.

    ``Exception`` pickles itself as ``(type, self.args)``; here ``args`` is the one message, so
    unpickling calls ``CodedError(message)`` and fails: ``missing 1 required positional argument``.
    """

    def __init__(self, path: str, code: int) -> None:
        super().__init__(f"{path} failed with exit code {code}")
        self.path = path
        self.code = code


class FixedCodedError(Exception):
    """:class:`CodedError` done right: every constructor argument goes on to ``Exception``."""

    def __init__(self, path: str, code: int) -> None:
        super().__init__(path, code)  # args == (path, code): unpickling can rebuild it
        self.path = path
        self.code = code

    def __str__(self) -> str:
        return f"{self.path} failed with exit code {self.code}"


def returns_a_lock() -> threading.Lock:
    """Return a new lock: a result that pickle refuses (``cannot pickle '_thread.lock' object``)."""
    return threading.Lock()


def raises_coded_error(path: str, code: int, *, fixed: bool = False) -> None:
    """Raise :class:`CodedError` (or :class:`FixedCodedError` with ``fixed=True``) for ``path``."""
    _validate.label(path, "path")
    _validate.integer(code, "code")
    raise (FixedCodedError if fixed else CodedError)(path, code)
