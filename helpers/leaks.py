"""What a cell, a pool or a notebook left running: child processes that are not services.

The standard library starts two helper processes once and keeps them while the kernel lives, by
design: the resource tracker (for named semaphores and shared memory) and the forkserver. Any
other child still running after a pool or cluster was shut down has leaked. The course's leak
check (``tests/conftest.py``) uses the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def non_service_children(children: Iterable[Any]) -> list[Any]:
    """The psutil processes among ``children`` that are still running and not services."""
    import psutil

    left = []
    for child in children:
        try:
            cmdline = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue  # gone meanwhile, or not ours to inspect
        if not is_service_process(cmdline):
            left.append(child)
    return left


def leftover_processes() -> int:
    """Child processes of this kernel still running, not counting multiprocessing's services."""
    import psutil

    return len(non_service_children(psutil.Process().children(recursive=True)))
