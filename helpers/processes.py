"""The course's one knob for how process pools start their workers.

Set the environment variable ``COURSE_START_METHOD`` to ``fork``, ``spawn`` or ``forkserver``
(before starting Jupyter or the tests) to run every process-pool demo with that start method;
leave it unset for the platform's default (spawn on macOS and Windows; fork on Linux up to
Python 3.13, forkserver from 3.14). CI runs the course with all three.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import BaseContext

START_METHOD_ENV = "COURSE_START_METHOD"


def start_method() -> str:
    """The start method process pools in this course use: the knob's value or the default."""
    chosen = os.environ.get(START_METHOD_ENV, "").strip()
    if not chosen:
        return multiprocessing.get_start_method()
    available = multiprocessing.get_all_start_methods()
    if chosen not in available:
        raise ValueError(
            f"{START_METHOD_ENV}={chosen!r} is not a start method on this platform; "
            f"choose one of {', '.join(available)}"
        )
    return chosen


def mp_context() -> BaseContext:
    """The context to pass as ``ProcessPoolExecutor(mp_context=...)``: the chosen start method."""
    return multiprocessing.get_context(start_method())
