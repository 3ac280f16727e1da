"""Checks for the "Your turn" exercises of notebook 09 (threads vs processes)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report

POOLS = ("threads", "processes")

# What each job spends its time on, and so which pool runs several at once for less.
RIGHT = {
    "factoring numbers in pure Python": (
        "processes",
        "pure-Python code holds the GIL: threads take turns, processes run on several cores",
    ),
    "hashing large buffers with hashlib": (
        "threads",
        "hashlib releases the GIL while it hashes, so threads hash on several cores at once, "
        "without starting interpreters or pickling the buffers to other processes",
    ),
    "downloading web pages": (
        "threads",
        "a thread waiting for the network releases the GIL: many threads wait at once, cheaply",
    ),
}


def check_pool_choices(choices: Any) -> bool:
    """``choices`` maps each job of :data:`RIGHT` to ``"threads"`` or ``"processes"``."""
    if not isinstance(choices, dict):
        if not_answered(choices):
            return False
        return report([(False, "", f"choices must be a dict of job -> pool, not {choices!r}")])
    if not_answered(*(choices.get(job) for job in RIGHT)):
        return False
    results = []
    for job, (pool, why) in RIGHT.items():
        answer = choices.get(job)
        if answer not in POOLS:
            results.append((False, "", f"{job}: answer 'threads' or 'processes', not {answer!r}"))
        else:
            results.append(
                (answer == pool, f"{job}: {pool} — {why}", f"{job}: not {answer} — {why}")
            )
    return report(results)
