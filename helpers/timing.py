"""One format for every duration the course prints, so tests/sanitize.cfg can recognise it.

Durations are printed as seconds with two decimals and a trailing ``s`` (``0.52s``); relative
times in log lines add a sign (``+0.52s``). Where a duration can be far below 10 ms (a single
memory write, a shared-memory attach), ``fine=True`` prints it in milliseconds or microseconds
instead of ``0.00s`` (``3.20ms``, ``45.10µs``). The sanitize file replaces exactly these shapes.
"""

from __future__ import annotations

import time

from helpers import _validate


def format_seconds(seconds: float, *, signed: bool = False, fine: bool = False) -> str:
    """Format a duration the one way the course prints durations, e.g. ``1.25s`` or ``+1.25s``.

    ``fine=True``: under 10 ms, in milliseconds (``3.20ms``) or under 1 ms in microseconds
    (``45.10µs``), so a tiny duration doesn't print as ``0.00s``.
    """
    _validate.number(seconds, "seconds")
    if seconds != seconds:  # NaN
        raise ValueError("seconds must not be NaN")
    sign = "+" if signed else ""
    if fine and abs(seconds) < 0.001:
        return f"{seconds * 1e6:{sign}.2f}µs"
    if fine and abs(seconds) < 0.01:
        return f"{seconds * 1e3:{sign}.2f}ms"
    return f"{seconds:{sign}.2f}s"


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
