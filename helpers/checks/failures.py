"""Checks for the "Your turn" exercises of notebook 10 (when things go wrong)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report

EXPECTED = ["P finished", "Q: task Q failed", "R finished"]


def check_outcomes(outcomes: Any) -> bool:
    """Right when ``outcomes`` has every task's outcome, failures too, in completion order."""
    if not_answered(outcomes):
        return False
    if not isinstance(outcomes, list | tuple) or not all(isinstance(o, str) for o in outcomes):
        print(f"✗ outcomes should be a list of strings, not {outcomes!r}")
        return False
    got = list(outcomes)
    return report(
        [
            (
                len(got) == 3,
                "three outcomes: every task is accounted for",
                f"{len(got)} outcomes: expected one per task (P, Q and R), failures included",
            ),
            (
                "Q: task Q failed" in got,
                "Q's failure is kept as 'Q: task Q failed'",
                "Q's failure is missing: ask future.exception() before future.result()",
            ),
            (
                got == EXPECTED,
                "in completion order: P (0.1 s), Q (0.3 s), R (0.5 s)",
                f"order or wording differs from {EXPECTED}: loop over as_completed(futures)",
            ),
        ]
    )
