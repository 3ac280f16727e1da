"""Checks for the "Your turn" exercises of notebook 01 (threads)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from helpers.checks import not_a_function, report, safely

NAMES = ("worker-a", "worker-b", "worker-c")


def _threads_started_during(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run ``call()``; return its result and the names of the threads it started (in any order).

    :func:`threading.settrace` installs a function in every thread the ``threading`` module
    starts afterwards; ours notes the thread's name at its first call, then switches itself off
    in that thread (:func:`sys.settrace` ``(None)``), so it traces nothing else.
    """
    started: list[str] = []
    previous = threading.gettrace() if hasattr(threading, "gettrace") else None  # 3.12+

    def note(*_: object) -> None:
        started.append(threading.current_thread().name)
        sys.settrace(None)  # only this thread's first call: nothing else is traced

    threading.settrace(note)
    try:
        result = call()
    finally:
        threading.settrace(previous)  # type: ignore[arg-type]
    return result, started


def check_collect_names(collect_names: Any) -> bool:
    """``collect_names(names)`` must run one thread per name and return what each thread saw.

    Each thread appends ``threading.current_thread().name`` to a shared list; the function
    joins them all and returns the list. The check calls it with three names and looks at the
    result, at the threads that really ran, and at whether any is still running afterwards.
    """
    if not_a_function(collect_names, "collect_names"):
        return False

    def check() -> bool:
        result, started = _threads_started_during(lambda: collect_names(list(NAMES)))
        running = sorted(t.name for t in threading.enumerate() if t.name in NAMES)
        returned = sorted(result) if isinstance(result, list) else result
        return report(
            [
                (
                    returned == sorted(NAMES),
                    f"it returned the three thread names: {returned}",
                    f"it should return a list of the three thread names, not {result!r}",
                ),
                (
                    sorted(started) == sorted(NAMES),
                    "three threads ran, named worker-a, worker-b and worker-c",
                    f"threads that ran: {sorted(started)}; name each thread with name=...",
                ),
                (
                    bool(started) and not running,
                    "every thread had finished when it returned: you joined them all",
                    f"still running after it returned: {running}; join() every thread"
                    if running
                    else "no thread to join yet: start one thread per name",
                ),
            ]
        )

    return safely(check)
