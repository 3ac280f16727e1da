"""Checks for the "Your turn" exercises of notebook 11 (processes in depth)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report

LOOKUP = ("helpers.workers.per_process", "lookup")


def check_pickled_reference(module: Any, name: Any) -> bool:
    """Right when ``module`` and ``name`` are what the pickle of ``per_process.lookup`` stores."""
    if not_answered(module, name):
        return False
    return report(
        [
            (
                module == LOOKUP[0],
                f"module {module!r}: the worker imports it to find the function",
                f"module {module!r}: the pickle names the module that defines lookup, "
                "as in 'package.module' (look at the first string strings_in finds)",
            ),
            (
                name == LOOKUP[1],
                f"name {name!r}: the worker looks it up in that module",
                f"name {name!r}: the pickle names the function as written after def",
            ),
        ]
    )
