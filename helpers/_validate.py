"""Argument checks shared by the helpers modules, so every helper rejects bad input the same way.

A wrong type raises ``TypeError``, a value out of range ``ValueError``; both name the argument, so
a learner who passes ``"0.5"`` or ``-1`` sees at once which argument is wrong and why. ``bool`` is
rejected where a number is expected: ``True`` is an ``int`` to Python, never a duration.
"""

from __future__ import annotations

from collections.abc import Sequence


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


def fraction(value: object, name: str) -> float:
    """``value`` if it is a number from 0 to 1, else TypeError/ValueError."""
    number(value, name)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a fraction from 0 to 1, not {value}")
    return value


def function(value: object, name: str = "fn") -> None:
    """``TypeError`` unless ``value`` is callable."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {type(value).__name__}")


def sequence(value: object, name: str) -> None:
    """``TypeError`` unless ``value`` is a sequence (a list, a tuple, ...) other than a string."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a sequence (a list, a tuple, ...), not {type(value).__name__}"
        )


def counts(value: object, name: str, minimum: int = 1) -> list[int]:
    """``value`` as a list of ints ``>= minimum``: a non-empty sequence of them, else an error."""
    sequence(value, name)
    if not value:
        raise ValueError(f"{name} must hold at least one number")
    return [integer(v, name, minimum) for v in value]


def picklable(fn: object, name: str = "fn") -> None:
    """``TypeError`` unless ``fn`` pickles, as a process pool needs to send it to its workers."""
    import pickle

    try:
        pickle.dumps(fn)
    except (pickle.PicklingError, AttributeError, TypeError) as error:
        qualname = getattr(fn, "__qualname__", type(fn).__name__)  # no 0x address
        raise TypeError(
            f"{name} must be picklable for a process pool, and {qualname} is not: process-pool "
            "workers must be module-level functions in a module the workers can import (such "
            "as helpers.workers or your own .py file), not lambdas, nested functions or "
            "functions defined in a notebook"
        ) from error
