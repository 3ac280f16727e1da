"""Checks for the learner's own answers to the "Your turn" exercises, one module per notebook.

A check prints, in plain words, what is right or what is still wrong, and returns True or False.
It never raises: *Run All* on an untouched copy of a notebook (answers still ``...``) completes,
and says which exercises are not done yet. Each notebook's checks live in a module named after
its story (``helpers.checks.threads``, ...), built on :func:`report` and :func:`not_answered`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers import _validate

NOT_DONE = "Not answered yet: replace the ... in the cell above, then run it again."


def not_answered(*answers: Any) -> bool:
    """True (and says so) if any answer is still the starter's ``...`` or ``None``."""
    if any(a is Ellipsis or a is None for a in answers):
        print(NOT_DONE)
        return True
    return False


def not_a_function(answer: Any, name: str) -> bool:
    """True (and says why) if ``answer`` is still ``...`` or not a function to call."""
    if not_answered(answer):
        return True
    if not callable(answer):
        print(f"✗ pass the function {name} itself (no parentheses), not a {type(answer).__name__}")
        return True
    return False


def report(results: list[tuple[bool, str, str]]) -> bool:
    """Print one line per ``(passed, what is right, what is wrong)``; True if all passed."""
    _validate.sequence(results, "results")
    for passed, right, wrong in results:
        print(f"✓ {right}" if passed else f"✗ {wrong}")
    return all(passed for passed, _, _ in results)


def safely(check: Callable[[], bool]) -> bool:
    """Run ``check()``; if the learner's code raises, say so in one line and return False."""
    _validate.function(check, "check")
    try:
        return check()
    except Exception as error:  # the learner's code can raise anything; report it, never crash
        print(f"✗ your code raised {type(error).__name__}: {error}")
        return False
