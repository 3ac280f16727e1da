"""Checks for the "Your turn" exercises of notebook 14 (scaling up and out)."""

from __future__ import annotations

import math
from typing import Any

from helpers.checks import not_answered, report

PARALLEL = 0.95  # the exercise's job: 95% of the work can run in parallel


def _close(answer: Any, right: float) -> bool:
    return (
        isinstance(answer, int | float)
        and not isinstance(answer, bool)
        and abs(answer - right) < 0.05
    )


def _speedup(n: int) -> float:
    return 1 / ((1 - PARALLEL) + PARALLEL / n)  # Amdahl's law, as scaling.amdahl computes it


def check_amdahl(on_8: Any, limit: Any, cores_needed: Any) -> bool:
    """A 95%-parallel job: its best speedup on 8 cores (5.93), on unlimited cores (20), and the
    fewest cores that bring it within 10% of that limit (171)."""
    if not_answered(on_8, limit, cores_needed):
        return False
    right_8, right_limit = _speedup(8), 1 / (1 - PARALLEL)
    # the smallest n with speedup(n) >= 0.9 * limit, solved for n (then checked: no float slip)
    needed = math.ceil(PARALLEL / (1 / (0.9 * right_limit) - (1 - PARALLEL)) - 1e-9)
    # 171 cores reach exactly 18 times: a float comparison may land one core later, also right
    exact = abs(_speedup(needed) - 0.9 * right_limit) < 1e-9
    is_count = isinstance(cores_needed, int) and not isinstance(cores_needed, bool)
    counted = is_count and (cores_needed == needed or (exact and cores_needed == needed + 1))
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
            (
                counted,
                f"within 10% of the limit ({0.9 * right_limit:.0f} times) from {needed} cores: "
                f"{_speedup(needed):.2f} times, {needed - 1} cores give {_speedup(needed - 1):.2f}",
                f"not {cores_needed!r} cores: the fewest n whose speedup reaches "
                f"{0.9 * right_limit:.0f} (90% of the limit) — try n = 1, 2, 3, ...",
            ),
        ]
    )
