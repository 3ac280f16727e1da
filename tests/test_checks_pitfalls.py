"""The checks of notebook 15's "Your turn" exercises: right, wrong, and not answered yet."""

import math

from helpers.checks.pitfalls import check_pool_size, check_rebuildable_error
from helpers.workers.unpicklable import CodedError, FixedCodedError


class NoAttributes(Exception):
    """Pickles (every argument goes to Exception) but forgets path and code."""

    def __init__(self, path, code):
        super().__init__(path, code)


def right_size(logical, scheduled, quota, windows):
    size = scheduled if quota is None else min(scheduled, max(1, math.ceil(quota)))
    return min(size, 61) if windows else size


def test_pool_size_right(capsys):
    assert check_pool_size(right_size) is True
    out = capsys.readouterr().out
    assert "✗" not in out and out.count("✓") == 6


def test_pool_size_wrong_says_why(capsys):
    assert check_pool_size(lambda logical, scheduled, quota, windows: logical) is False
    out = capsys.readouterr().out
    assert "quota" in out and "61" in out and "affinity" in out


def test_pool_size_untouched_or_odd(capsys):
    assert check_pool_size(...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_pool_size(42) is False
    assert "must be a function" in capsys.readouterr().out

    def starter(logical, scheduled, quota, windows): ...

    assert check_pool_size(starter) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_pool_size(lambda: 1) is False  # wrong signature: reported, not raised
    assert "raised TypeError" in capsys.readouterr().out


def test_rebuildable_error_right(capsys):
    assert check_rebuildable_error(FixedCodedError) is True
    assert "✗" not in capsys.readouterr().out


def test_rebuildable_error_wrong_says_why(capsys):
    assert check_rebuildable_error(CodedError) is False
    assert "super().__init__" in capsys.readouterr().out
    assert check_rebuildable_error(NoAttributes) is False
    out = capsys.readouterr().out
    assert "self.path" in out and "__str__" in out


def test_rebuildable_error_untouched_or_odd(capsys):
    assert check_rebuildable_error(...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_rebuildable_error(int) is False
    assert "not an exception class" in capsys.readouterr().out
