import re
import time

import pytest

from helpers.timing import Stopwatch, format_seconds


def test_format_matches_the_sanitize_rule():
    rule = re.compile(r"[+-]?\b\d+\.\d\d(?:s|ms|µs)\b")
    for text in (format_seconds(0.5), format_seconds(12.345), format_seconds(1.0, signed=True)):
        assert rule.fullmatch(text), text
    for tiny in (0.0032, 0.0000451, 0.0, 0.5):
        assert rule.fullmatch(format_seconds(tiny, fine=True)), tiny
    assert format_seconds(0.5) == "0.50s"
    assert format_seconds(0.5, signed=True) == "+0.50s"


def test_fine_format_shows_tiny_durations():
    assert format_seconds(0.0032) == "0.00s"
    assert format_seconds(0.0032, fine=True) == "3.20ms"
    assert format_seconds(0.0000451, fine=True) == "45.10µs"
    assert format_seconds(0.0032, signed=True, fine=True) == "+3.20ms"
    assert format_seconds(0.25, fine=True) == "0.25s"  # 10 ms and more: as always


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
