"""Checks for the "Your turn" exercises of notebook 12 (asyncio)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report


def check_wait_and_cancel(finished: Any, cancelled: Any) -> bool:
    """Right when downloads of 0.1, 0.2 and 0.6 s, given 0.35 s, give ``[0.1, 0.2]`` and 1."""
    if not_answered(finished, cancelled):
        return False
    try:
        got = sorted(finished)
    except TypeError:
        print(f"✗ finished should be a list of the finished tasks' results, not {finished!r}")
        return False
    return report(
        [
            (
                got == [0.1, 0.2],
                "finished: [0.1, 0.2] - both done before the 0.35 s deadline",
                f"finished: {got} - expected the results of the 0.1 s and 0.2 s downloads "
                "(use task.result() for the tasks in done)",
            ),
            (
                cancelled == 1,
                "cancelled: 1 - the 0.6 s download was still pending",
                f"cancelled: {cancelled!r} - expected 1: only the 0.6 s download was pending",
            ),
        ]
    )
