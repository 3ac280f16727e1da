"""Checks for the "Your turn" exercises of notebook 02 (race conditions)."""

from __future__ import annotations

import threading
import types
from typing import Any

from helpers.checks import not_answered, report, safely
from helpers.demos.races import switch_interval

THREADS = 4


def check_no_updates_lost(adder: Any) -> bool:
    """Run ``adder`` in four threads, switching often, and count what it added to ``counter``.

    ``adder`` works like the notebook's ``add_one_with_a_call``: it adds 1 to the notebook's
    global ``counter``, ``ITERATIONS`` times (both read from the function's own module, the
    notebook). The check sets ``counter`` to 0, runs four threads at once with frequent thread
    switches, and compares the result with ``4 × ITERATIONS``.
    """
    if not_answered(adder):
        return False
    if not isinstance(adder, types.FunctionType):
        print(f"✗ pass the function itself (no parentheses), not {type(adder).__name__}")
        return False
    notebook = adder.__globals__
    iterations = notebook.get("ITERATIONS")
    if not isinstance(iterations, int) or isinstance(iterations, bool) or iterations < 1:
        print("✗ ITERATIONS is not defined as a positive int: run the notebook's cells above")
        return False

    def check() -> bool:
        notebook["counter"] = 0
        errors: list[Exception] = []

        def run() -> None:
            try:
                adder()
            except Exception as error:  # the learner's code: report it, never crash
                errors.append(error)

        threads = [threading.Thread(target=run, name=f"adder-{i + 1}") for i in range(THREADS)]
        with switch_interval(1e-5):
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        if errors:
            print(f"✗ your function raised {type(errors[0]).__name__}: {errors[0]}")
            return False
        counted, expected = notebook["counter"], THREADS * iterations
        if counted == 0:
            print("✗ counter is still 0: your function did not add anything yet")
            return False
        return report(
            [
                (
                    counted == expected,
                    f"counter: {counted} of {expected} — no update lost",
                    f"counter: {counted} of {expected} — {expected - counted} updates lost or "
                    "extra: hold one lock from the read to the write",
                )
            ]
        )

    return safely(check)
