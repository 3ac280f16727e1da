"""Checks for the "Your turn" exercises of notebook 04 (results from threads)."""

from __future__ import annotations

import threading
from typing import Any

from helpers.checks import not_a_function, report, safely

PAIRS = ((1, 2), (3, 0), (5, 4))


def check_error_slots(divide_into: Any) -> bool:
    """``divide_into(results, i, a, b)`` stores ``a / b`` in ``results[i]``, or the exception.

    The check runs it in one thread per pair (1/2, 3/0, 5/4) and expects the slots
    ``[0.5, ZeroDivisionError(...), 1.25]``. An exception that escapes the learner's function
    is caught and reported, not printed as a thread traceback. A function that wrote no slot
    (the untouched starter) gets one line saying so, and no ✓.
    """
    if not_a_function(divide_into, "divide_into"):
        return False

    def check() -> bool:
        results: list[Any] = [None] * len(PAIRS)
        escaped: list[Exception] = []

        def run(i: int, a: float, b: float) -> None:
            try:
                divide_into(results, i, a, b)
            except Exception as error:  # the learner's code: report it, never crash
                escaped.append(error)

        threads = [
            threading.Thread(target=run, args=(i, a, b), name=f"divider-{i}")
            for i, (a, b) in enumerate(PAIRS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if not escaped and all(slot is None for slot in results):
            print("✗ every slot is still None: store a / b in results[i], or the exception")
            return False  # nothing answered yet: no ✓ for errors that had no chance to happen
        ok, error, ok_too = results
        return report(
            [
                (
                    not escaped,
                    "no exception escaped from the threads",
                    f"{type(escaped[0]).__name__ if escaped else ''} escaped from a thread: "
                    "catch it in the function and store it in the slot",
                ),
                (
                    ok == 0.5 and ok_too == 1.25,
                    "slots 0 and 2 hold the results 0.5 and 1.25",
                    f"slots 0 and 2 should hold 0.5 and 1.25, not {ok!r} and {ok_too!r}",
                ),
                (
                    isinstance(error, ZeroDivisionError),
                    f"slot 1 holds the exception: {error!r}",
                    f"slot 1 should hold the ZeroDivisionError itself, not {error!r}",
                ),
            ]
        )

    return safely(check)
