"""Checks for the "Your turn" exercises of notebook 07 (``as_completed``)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report

FAIL_ON = (1, 4)  # the inputs square() fails on in the exercise
INPUTS = range(6)


def check_failures_and_sum(failed: Any, total: Any) -> bool:
    """``square(n, fail_on={1, 4})`` for ``n`` in ``range(6)`` with ``as_completed``.

    Right: ``failed`` holds the inputs 1 and 4 (in any order: completion order varies), and
    ``total`` is the sum of the other squares, 0 + 4 + 9 + 25 = 38.
    """
    if not_answered(failed, total):
        return False
    expected_total = sum(n * n for n in INPUTS if n not in FAIL_ON)
    try:
        failed_sorted = sorted(failed)
    except TypeError:
        failed_sorted = failed
    return report(
        [
            (
                failed_sorted == list(FAIL_ON),
                "failed holds the inputs 1 and 4: each failure was caught with its input",
                f"failed should hold the inputs 1 and 4, not {failed!r}: catch ValueError around "
                "future.result() and append future_to_n[future]",
            ),
            (
                not isinstance(total, bool) and total == expected_total,
                f"total is {expected_total}: 0 + 4 + 9 + 25, the squares that succeeded",
                _wrong_total(total),
            ),
        ]
    )


def _wrong_total(total: Any) -> str:
    """What is wrong with ``total``, without giving the right number away."""
    if total == 0 and not isinstance(total, bool):
        return "total is still 0: add future.result() to it for every task that did not raise"
    return (
        f"total is {total!r}, not the sum of the squares that succeeded: add future.result() "
        "once for every task that did not raise, and nothing for those that did"
    )
