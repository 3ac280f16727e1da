"""Checks for the "Your turn" exercises of notebook 15 (the pitfalls of real code)."""

from __future__ import annotations

import pickle
from typing import Any

from helpers.checks import not_answered, report, safely

# (logical CPUs, CPUs this process may run on, cgroup quota in CPUs or None, on Windows) -> size
POOL_SIZE_CASES: list[tuple[tuple[int, int, float | None, bool], int]] = [
    ((8, 8, None, False), 8),  # a laptop: every core
    ((64, 64, 2.0, False), 2),  # a container on a big host: the quota wins
    ((64, 64, 1.5, False), 2),  # a quota of 1.5 CPUs keeps 2 processes busy part of the time
    ((16, 4, None, False), 4),  # taskset / affinity: 4 of the 16 cores
    ((128, 128, None, True), 61),  # Windows: at most 61 worker processes
    ((4, 4, 0.5, False), 1),  # never fewer than one worker
]


def check_pool_size(pool_size: Any) -> bool:
    """``pool_size(logical, scheduled, quota, windows)`` gives the CPU-bound pool size, each case.

    The right size is the CPUs this process may run on, capped by a CPU quota (rounded up, at
    least 1) and by Windows' limit of 61 worker processes.
    """
    if not_answered(pool_size):
        return False
    if not callable(pool_size):
        return report([(False, "", f"pool_size must be a function, not {pool_size!r}")])

    def run() -> bool:
        answers = [pool_size(*case) for case, _ in POOL_SIZE_CASES]
        if all(a is None or a is Ellipsis for a in answers) and not_answered(*answers):
            return False  # the starter's body is still ``...``: it returns None everywhere
        results = []
        for ((logical, scheduled, quota, windows), right), got in zip(
            POOL_SIZE_CASES, answers, strict=True
        ):
            where = f"{logical} CPUs, {scheduled} scheduled, quota {quota}, windows={windows}"
            results.append(
                (
                    got == right,
                    f"{where}: {right} workers",
                    f"{where}: {got!r} workers, expected {right} — "
                    + hint(logical, scheduled, quota, windows),
                )
            )
        return report(results)

    return safely(run)


def hint(logical: int, scheduled: int, quota: float | None, windows: bool) -> str:
    """What a wrong answer for this case most likely overlooked."""
    if windows:
        return "Windows caps a process pool at 61 workers"
    if quota is not None:
        return "a CPU quota caps the CPUs you can keep busy (round up, at least 1)"
    if scheduled < logical:
        return "the process may run on fewer CPUs than the machine has (affinity)"
    return "with no limit, use every CPU the process may run on"


def check_rebuildable_error(error_class: Any) -> bool:
    """``error_class(path, code)`` survives a pickle round trip with its message and attributes.

    That is what a process pool does with an exception raised in a worker: pickle it there,
    unpickle (rebuild) it in the notebook.
    """
    if not_answered(error_class):
        return False
    if not (isinstance(error_class, type) and issubclass(error_class, BaseException)):
        return report([(False, "", f"{error_class!r} is not an exception class")])

    def run() -> bool:
        original = error_class("data.csv", 2)
        try:
            copy = pickle.loads(pickle.dumps(original))
        except Exception as problem:  # what the notebook would get instead of the error
            return report(
                [
                    (
                        False,
                        "",
                        f"the round trip fails with {type(problem).__name__}: {problem} — pass "
                        "every constructor argument on to super().__init__",
                    )
                ]
            )
        text = str(copy)
        same_text = text == str(original) and "data.csv" in text and "2" in text
        sentence = not text.startswith("(")  # not Exception's bare tuple of arguments
        same_data = getattr(copy, "path", None) == "data.csv" and getattr(copy, "code", None) == 2
        return report(
            [
                (True, "it survives a pickle round trip", ""),
                (
                    same_text,
                    f"its message survives: {copy}",
                    f"the message changed or lacks the path and code: {original} -> {copy}",
                ),
                (
                    sentence,
                    "it reads like a sentence",
                    f"its message is the bare arguments {text}: build a sentence in __str__",
                ),
                (
                    same_data,
                    "its path and code attributes survive",
                    "set self.path and self.code in __init__ so the notebook can read them",
                ),
            ]
        )

    return safely(run)
