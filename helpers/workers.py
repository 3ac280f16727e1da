"""Worker functions for the demos.

They live here, not in the notebooks, because process pools pickle the function *by reference*
(module and name): under the spawn and forkserver start methods the child imports the module to
find it, and a function defined in a notebook's ``__main__`` cannot be found there.
"""

from __future__ import annotations

import time

from helpers import _validate


def wait_some_time(seconds: float) -> float:
    """Sleep ``seconds`` (stands in for I/O: the thread waits, the CPU is free); return it."""
    time.sleep(_validate.seconds(seconds))
    return seconds
