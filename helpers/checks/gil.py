"""Checks for the "Your turn" exercises of notebook 13 (GIL, free-threading, subinterpreters)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report, safely

# (free-threaded build, GIL enabled now) -> what gil_status must say
CASES = {
    (False, True): "standard build, GIL on",
    (True, False): "free-threaded, GIL off",
    (True, True): "free-threaded, GIL re-enabled",
}


def check_gil_status(gil_status: Any) -> bool:
    """``gil_status(free_threaded_build, gil_enabled)`` names each of the three builds right."""
    if not_answered(gil_status):
        return False
    if not callable(gil_status):
        return report([(False, "", f"gil_status must be a function, not {gil_status!r}")])

    def check() -> bool:
        said_all = {case: gil_status(*case) for case in CASES}
        if all(said is None for said in said_all.values()) and not_answered(None):
            return False  # the starter's body, ``...``, returns None
        results = []
        for (free_threaded, enabled), right in CASES.items():
            said = said_all[free_threaded, enabled]
            case = f"free-threaded build {free_threaded}, GIL enabled {enabled}"
            results.append(
                (said == right, f"{case}: {right!r}", f"{case}: {said!r}, not {right!r}")
            )
        return report(results)

    return safely(check)
