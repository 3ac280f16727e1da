"""Checks for the "Your turn" exercises of notebook 05 (thread pools and futures)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report


def check_cancelled(cancelled: Any, ran: Any) -> bool:
    """One worker, a task held at a gate, three more queued: cancel all four before the gate opens.

    Right: ``cancelled == [False, True, True, True]`` (only the running task cannot be
    cancelled) and ``ran == 1`` (the held task is the only one that runs).
    """
    if not_answered(cancelled, ran):
        return False
    listed = list(cancelled) if isinstance(cancelled, list | tuple) else cancelled
    return report(
        [
            (
                listed == [False, True, True, True],
                "cancel() gave [False, True, True, True]: the running task cannot be cancelled, "
                "the three pending ones can",
                f"cancelled should be the four results of cancel(), in submission order, not "
                f"{cancelled!r}: a pending future can be cancelled, a running one cannot",
            ),
            (
                not isinstance(ran, bool) and ran == 1,
                "1 task ran: the one that was already running when you cancelled",
                f"not {ran!r} tasks: count the futures that were not cancelled "
                "(f.cancelled() is False) once the with block is over",
            ),
        ]
    )
