import math

import pytest

from helpers import _validate


def test_number_accepts_ints_and_floats_only():
    assert _validate.number(3, "x") == 3
    assert _validate.number(-0.5, "x") == -0.5
    for bad in (True, "1", None):
        with pytest.raises(TypeError, match="x must be a number"):
            _validate.number(bad, "x")


@pytest.mark.parametrize(
    ("bad", "error"), [(-1, ValueError), (math.nan, ValueError), ("1", TypeError)]
)
def test_seconds(bad, error):
    assert _validate.seconds(0) == 0
    assert _validate.seconds(1.5, "timeout") == 1.5
    with pytest.raises(error, match="timeout"):
        _validate.seconds(bad, "timeout")


@pytest.mark.parametrize(
    ("bad", "error"),
    [(0, ValueError), (-2, ValueError), (math.nan, ValueError), (False, TypeError)],
)
def test_positive(bad, error):
    assert _validate.positive(1e-5, "interval") == 1e-5
    with pytest.raises(error, match="interval"):
        _validate.positive(bad, "interval")


def test_integer():
    assert _validate.integer(-7, "n") == -7
    assert _validate.integer(2, "workers", 1) == 2
    with pytest.raises(ValueError, match="workers must be >= 1, not 0"):
        _validate.integer(0, "workers", 1)
    for bad in (2.0, True, "2"):
        with pytest.raises(TypeError, match="workers must be an int"):
            _validate.integer(bad, "workers", 1)


def test_label():
    assert _validate.label("task 1", "label") == "task 1"
    for bad in ("", None, 3):
        with pytest.raises(ValueError, match="label must be a non-empty string"):
            _validate.label(bad, "label")
