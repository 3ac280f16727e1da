"""Checks for the "Your turn" exercise of notebook 17 (the pool explorer)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_a_function, not_answered, report, safely
from helpers.demos.pool_explorer import physical_limit

# (tasks, workers, seconds, limit): the server's limit binds, the workers bind, one round, ties.
CASES = ((10, 4, 0.2, 3), (10, 3, 0.2, 8), (2, 4, 0.5, 8), (12, 4, 0.1, 4))


def check_best_time(best_time: Any) -> bool:
    """``best_time(tasks, workers, seconds, limit)``: the physical limit of I/O-bound tasks.

    Right: ``ceil(tasks / min(workers, limit)) * seconds`` for every case in ``CASES``.
    """
    if not_a_function(best_time, "best_time"):
        return False

    def check() -> bool:
        answers = [best_time(*case) for case in CASES]
        if not_answered(*answers):  # the starter's `return ...`
            return False
        results = []
        for (tasks, workers, seconds, limit), answer in zip(CASES, answers, strict=True):
            right = physical_limit(tasks, min(workers, limit), seconds)
            ok = isinstance(answer, int | float) and not isinstance(answer, bool)
            ok = ok and abs(answer - right) < 1e-6
            results.append(
                (
                    ok,
                    f"{tasks} tasks of {seconds} s, {workers} workers, server limit {limit}: "
                    f"{right:g} s",
                    f"{tasks} tasks of {seconds} s, {workers} workers, server limit {limit}: "
                    f"not {answer!r} — at most min(workers, limit) wait at once, in whole rounds",
                )
            )
        return report(results)

    return safely(check)
