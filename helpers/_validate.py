"""Argument checks shared by the helpers modules, so every helper rejects bad input the same way.

A wrong type raises ``TypeError``, a value out of range ``ValueError``; both name the argument, so
a learner who passes ``"0.5"`` or ``-1`` sees at once which argument is wrong and why. ``bool`` is
rejected where a number is expected: ``True`` is an ``int`` to Python, never a duration.
"""

from __future__ import annotations


def number(value: object, name: str) -> float:
    """``value`` if it is an int or float (not a bool), else ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    return value


def seconds(value: object, name: str = "seconds") -> float:
    """``value`` if it is a number of seconds ``>= 0`` (NaN is not), else TypeError/ValueError."""
    number(value, name)
    if not value >= 0:  # also rejects NaN
        raise ValueError(f"{name} must be >= 0, not {value}")
    return value


def positive(value: object, name: str) -> float:
    """``value`` if it is a number ``> 0`` (NaN is not), else TypeError/ValueError."""
    number(value, name)
    if not value > 0:
        raise ValueError(f"{name} must be a positive number, not {value}")
    return value


def integer(value: object, name: str, minimum: int | None = None) -> int:
    """``value`` if it is an int (not a bool) and ``>= minimum`` (if given), else an error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, not {value}")
    return value


def label(value: object, name: str) -> str:
    """``value`` if it is a non-empty string, else ``ValueError`` (a name or label is missing)."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")
    return value
