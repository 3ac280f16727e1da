import re
import time

import pytest

from helpers.timing import Stopwatch, format_seconds


def test_format_matches_the_sanitize_rule():
    rule = re.compile(r"[+-]?\b\d+\.\d\ds\b")
    for text in (format_seconds(0.5), format_seconds(12.345), format_seconds(1.0, signed=True)):
        assert rule.fullmatch(text), text
    assert format_seconds(0.5) == "0.50s"
    assert format_seconds(0.5, signed=True) == "+0.50s"


@pytest.mark.parametrize("bad", ["1", None, True])
def test_format_rejects_non_numbers(bad):
    with pytest.raises(TypeError):
        format_seconds(bad)


def test_format_rejects_nan():
    with pytest.raises(ValueError):
        format_seconds(float("nan"))


def test_stopwatch_measures_the_block():
    with Stopwatch() as sw:
        time.sleep(0.05)
    first = sw.elapsed
    assert first >= 0.05
    time.sleep(0.01)
    assert sw.elapsed == first  # frozen once the block ended
    assert str(sw) == format_seconds(first)


def test_stopwatch_must_be_started():
    with pytest.raises(RuntimeError):
        _ = Stopwatch().elapsed
