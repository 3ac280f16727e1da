"""A worker process describing itself: its own memory and threads, measured from inside.

Reading *another* process's memory needs permissions a laptop user may not have (macOS denies
it without root: psutil raises ``AccessDenied``), so every process measures its own, and a pool's
workers send theirs back as a result.
"""

from __future__ import annotations

import os
import threading
import time

from helpers import _validate


def own_memory(hold: float = 0.0) -> dict[str, int | float | None]:
    """This process's pid, Python threads and memory in bytes: RSS, USS and (Linux) PSS.

    ``hold`` seconds are waited first, so that while one worker answers, the others of its pool
    take the other tasks (see :func:`helpers.experiments.memory.each_worker`).

    psutil is imported here, not at module level -- the one exception to this package's
    standard-library rule, and only when this function runs: the standard library has no
    portable way to read a process's current memory. ``resource.getrusage`` reports only the
    *peak* resident size, in kilobytes on Linux but bytes on macOS, and does not exist on
    Windows; ``/proc/self/status`` and ``smaps_rollup`` exist only on Linux. psutil reads the
    running process's own USS on Linux, macOS and Windows without special permissions. PSS is
    None where the OS does not report it (all but Linux).
    """
    _validate.seconds(hold, "hold")
    time.sleep(hold)
    import psutil

    info = psutil.Process().memory_full_info()
    return {
        "pid": os.getpid(),
        "threads": threading.active_count(),
        "rss": info.rss,
        "uss": info.uss,
        "pss": getattr(info, "pss", None),
    }
