"""Logging set-up for demos: every line shows a time relative to the demo's start and the thread.

Absolute clock times (the talk's ``10:24:52,443``) differ on every run; a relative time such as
``+1.02s`` keeps stored outputs readable and is sanitized by one rule in tests/sanitize.cfg.
Lines go to whatever ``sys.stderr`` is at the moment of logging, which in Jupyter is the cell
that is running.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

LOGGER_NAME = "course"


class _DemoClock:
    """Start time that relative log times are measured from; reset at the start of each demo."""

    def __init__(self) -> None:
        self.start = time.time()

    def reset(self) -> None:
        self.start = time.time()


clock = _DemoClock()


class RelativeTimeFormatter(logging.Formatter):
    """Format ``+0.52s [thread] message``, with the process id in front when asked."""

    def __init__(self, *, show_process: bool = False) -> None:
        super().__init__()
        self.show_process = show_process

    def format(self, record: logging.LogRecord) -> str:
        relative = record.created - clock.start
        who = record.threadName
        if self.show_process:
            who = f"pid {record.process} {who}"
        line = f"{relative:+.2f}s [{who}] {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class _CurrentStderrHandler(logging.StreamHandler):
    """A StreamHandler that always writes to the *current* ``sys.stderr``."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignore: the target is always the current sys.stderr."""


def setup_logging(*, show_process: bool = False, level: int = logging.INFO) -> logging.Logger:
    """Configure and return the course logger and restart the demo clock.

    Call it once per demo (it is idempotent): the clock restarts, so the first line of a demo
    shows ``+0.00s``. ``show_process=True`` adds the process id, for multiprocessing demos.
    """
    if not isinstance(show_process, bool):
        raise TypeError("show_process must be True or False")
    if isinstance(level, bool) or not isinstance(level, int) or level < 0:
        raise ValueError(f"level must be a logging level such as logging.INFO, not {level!r}")
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = _CurrentStderrHandler()
    handler.setFormatter(RelativeTimeFormatter(show_process=show_process))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    clock.reset()
    return logger
