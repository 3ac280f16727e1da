"""One format for every duration the course prints, so tests/sanitize.cfg can recognise it.

Durations are printed as seconds with two decimals and a trailing ``s`` (``0.52s``); relative
times in log lines add a sign (``+0.52s``). The sanitize file replaces exactly this shape.
"""

from __future__ import annotations

import time

from helpers import _validate


def format_seconds(seconds: float, *, signed: bool = False) -> str:
    """Format a duration the one way the course prints durations, e.g. ``1.25s`` or ``+1.25s``."""
    _validate.number(seconds, "seconds")
    if seconds != seconds:  # NaN
        raise ValueError("seconds must not be NaN")
    return f"{seconds:+.2f}s" if signed else f"{seconds:.2f}s"


class Stopwatch:
    """Measure wall-clock time of a block: ``with Stopwatch() as sw: ...`` then ``sw.elapsed``.

    Uses ``time.perf_counter`` (monotonic, high resolution). ``str(sw)`` gives the course format.
    """

    def __init__(self) -> None:
        self._start: float | None = None
        self._end: float | None = None

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        self._end = None
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._end = time.perf_counter()

    @property
    def elapsed(self) -> float:
        """Seconds since the block started; final once the block has ended."""
        if self._start is None:
            raise RuntimeError("Stopwatch was never started: use it as `with Stopwatch() as sw:`")
        end = self._end if self._end is not None else time.perf_counter()
        return end - self._start

    def __str__(self) -> str:
        return format_seconds(self.elapsed)
