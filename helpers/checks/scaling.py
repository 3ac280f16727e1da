"""Checks for the "Your turn" exercises of notebook 14 (scaling up and out)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report

PARALLEL = 0.95  # the exercise's job: 95% of the work can run in parallel


def _close(answer: Any, right: float) -> bool:
    return (
        isinstance(answer, int | float)
        and not isinstance(answer, bool)
        and abs(answer - right) < 0.05
    )


def check_amdahl(on_8: Any, limit: Any) -> bool:
    """The best speedup of a 95%-parallel job on 8 cores (5.93) and on unlimited cores (20)."""
    if not_answered(on_8, limit):
        return False
    right_8 = 1 / ((1 - PARALLEL) + PARALLEL / 8)  # Amdahl's law, as scaling.amdahl computes it
    right_limit = 1 / (1 - PARALLEL)
    return report(
        [
            (
                _close(on_8, right_8),
                f"on 8 cores: 1 / (0.05 + 0.95 / 8) = {right_8:.2f} times as fast",
                f"not {on_8!r} on 8 cores: Amdahl's law is 1 / ((1 - p) + p / n) with p = 0.95 "
                "and n = 8",
            ),
            (
                _close(limit, right_limit),
                f"on unlimited cores: 1 / 0.05 = {right_limit:.0f} times — the serial 5% caps it",
                f"not {limit!r} on unlimited cores: as n grows, p / n vanishes and 1 / (1 - p) "
                "is left",
            ),
        ]
    )
