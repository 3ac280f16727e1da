"""Checks for the "Your turn" exercises of notebook 06 (``Executor.map``)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report


def check_results_before_failure(delivered: Any, error: Any) -> bool:
    """``map(square, range(5))`` with ``fail_on={2}``: the results before the failure, and it.

    Right: ``delivered == [0, 1]`` (results 0 and 1 came before the failing task's turn) and
    ``error`` is the ``ValueError`` of ``square(2)``, caught around the loop.
    """
    if not_answered(delivered, error):
        return False
    listed = list(delivered) if isinstance(delivered, list | tuple) else delivered
    return report(
        [
            (
                listed == [0, 1],
                "delivered [0, 1]: the results in input order, up to the failing task",
                f"delivered should be [0, 1], not {delivered!r}: append each result inside the "
                "loop, and let the loop end when square(2)'s exception reaches it",
            ),
            (
                isinstance(error, ValueError) and "square(2)" in str(error),
                f"error is {error!r}: the task's own exception, raised in your loop",
                f"error should be the ValueError from square(2), not {error!r}: put the try "
                "around the whole for loop and keep the exception with `except ValueError as exc`",
            ),
        ]
    )
