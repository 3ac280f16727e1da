"""What a cell, a pool or a notebook left running: child processes that are not services.

The standard library starts two helper processes once and keeps them while the kernel lives, by
design: the resource tracker (for named semaphores and shared memory) and the forkserver. Any
other child still running after a pool or cluster was shut down has leaked. The course's leak
check (``tests/conftest.py``) uses the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psutil

# Command-line fragments of the processes multiprocessing keeps for the kernel's lifetime.
SERVICE_MARKERS = (
    "from multiprocessing.resource_tracker import main",
    "from multiprocessing.forkserver import main",
)


def is_service_process(cmdline: str) -> bool:
    """True for multiprocessing's resource tracker and forkserver, from their command line."""
    if not isinstance(cmdline, str):
        raise TypeError(f"cmdline must be a string, not {type(cmdline).__name__}")
    return any(marker in cmdline for marker in SERVICE_MARKERS)


def service_pids() -> set[int]:
    """The process ids of this process's resource tracker and forkserver, where running.

    Read from multiprocessing's own (private) records, so no permission to inspect another
    process is needed: on macOS psutil may not read a child's command line.
    """
    from multiprocessing import forkserver, resource_tracker  # here: forkserver is POSIX-only

    tracker = getattr(getattr(resource_tracker, "_resource_tracker", None), "_pid", None)
    server = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    return {pid for pid in (tracker, server) if isinstance(pid, int)}


def non_service_children(children: Iterable[Any]) -> list[Any]:
    """The psutil processes among ``children`` that are still running and not services.

    A child whose command line may not be read (``AccessDenied``) counts, unless it is one of
    this process's own services: a check that cannot look must not say "nothing left".
    """
    services = service_pids()
    left = []
    for child in children:
        if child.pid in services:
            continue
        try:
            cmdline = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # gone meanwhile
        except psutil.AccessDenied:
            cmdline = ""  # cannot tell: count it
        if not is_service_process(cmdline):
            left.append(child)
    return left


def leftover_processes() -> int:
    """Child processes of this kernel still running, not counting multiprocessing's services."""
    return len(non_service_children(psutil.Process().children(recursive=True)))
