"""Checks for the "Your turn" exercises of notebook 03 (locks, conditions and queues)."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from helpers.checks import not_a_function, not_answered, report, safely

WORKERS = 3
NUMBERS = range(1, 9)
PATIENCE = 2.0  # seconds a check waits for the learner's threads before it says they hang
PROMPT = 0.5  # seconds within which notified waiters must wake (a timeout alone takes PATIENCE)


def check_square_workers(square_worker: Any) -> bool:
    """``square_worker(numbers, squares)`` takes numbers until the sentinel ``None``, puts squares.

    The check fills a queue with 1 to 8 and one ``None`` per worker, runs three workers, and
    looks at what came out and whether every worker stopped. A worker that does not stop is
    released with extra sentinels, so the check never hangs.
    """
    if not_a_function(square_worker, "square_worker"):
        return False

    def check() -> bool:
        numbers: queue.Queue = queue.Queue()
        squares: queue.Queue = queue.Queue()
        for n in [*NUMBERS, *[None] * WORKERS]:
            numbers.put(n)
        errors: list[Exception] = []

        def run() -> None:
            try:
                square_worker(numbers, squares)
            except Exception as error:  # the learner's code: report it, never crash
                errors.append(error)

        workers = [threading.Thread(target=run, daemon=True) for _ in range(WORKERS)]
        for t in workers:
            t.start()
        deadline = time.monotonic() + PATIENCE
        for t in workers:
            t.join(max(0.0, deadline - time.monotonic()))
        stuck = sum(t.is_alive() for t in workers)
        for _ in range(stuck):
            numbers.put(None)  # release workers that missed their sentinel
        left = [] if stuck else _drain(numbers)  # what no worker took, once all have returned
        if errors:
            print(f"✗ your function raised {type(errors[0]).__name__}: {errors[0]}")
            return False
        got = sorted(squares.get() for _ in range(squares.qsize()))
        right = [(n, n * n) for n in NUMBERS]
        return report(
            [
                (
                    got == right,
                    f"each number squared exactly once: {got[:3]} ... {got[-1:]}",
                    f"squares should hold {right[:3]} ... {right[-1:]} (as (n, n * n) pairs), "
                    f"got {len(got)} items: {got[:4]}",
                ),
                (
                    stuck == 0 and not left,
                    f"all {WORKERS} workers stopped at their sentinel",
                    f"{stuck} of {WORKERS} workers did not stop within {PATIENCE:g} s: "
                    "return when get() gives the sentinel None"
                    if stuck
                    else f"the workers returned with {_left_over(left)} in the queue: "
                    "loop until get() gives the sentinel",
                ),
            ]
        )

    return safely(check)


def _drain(items: queue.Queue) -> list[Any]:
    """Everything still in ``items``, taken without waiting."""
    taken = []
    while True:
        try:
            taken.append(items.get_nowait())
        except queue.Empty:
            return taken


def _left_over(left: list[Any]) -> str:
    """``8 numbers and 3 sentinels left``: what the workers did not take, in plain words."""
    sentinels = sum(item is None for item in left)
    numbers = len(left) - sentinels
    return (
        f"{numbers} number{'s' * (numbers != 1)} and "
        f"{sentinels} sentinel{'s' * (sentinels != 1)} left"
    )


def check_latch(latch_class: Any) -> bool:
    """A latch: ``wait(timeout)`` returns True once ``count_down()`` was called ``count`` times.

    Before that, ``wait`` blocks (and returns False after its timeout). Two threads wait on a
    ``latch_class(2)`` while the check counts down twice, 0.1 s apart; every wait has a timeout,
    so a latch that never opens cannot hang the check.
    """
    if not_answered(latch_class):
        return False
    if not isinstance(latch_class, type):
        print(f"✗ pass the class itself, not {type(latch_class).__name__}")
        return False

    def check() -> bool:
        latch = latch_class(2)
        early = latch.wait(timeout=0.05)
        woke: dict[str, tuple[Any, float]] = {}

        def waiter() -> None:
            try:
                opened = latch.wait(timeout=PATIENCE)
            except Exception as error:  # the learner's code: report it, never crash
                opened = error
            woke[threading.current_thread().name] = (opened, time.monotonic())

        waiters = [threading.Thread(target=waiter, name=f"waiter-{i}") for i in (1, 2)]
        for t in waiters:
            t.start()
        time.sleep(0.1)
        latch.count_down()
        time.sleep(0.1)
        woke_early = len(woke)
        opened_at = time.monotonic()
        latch.count_down()
        for t in waiters:
            t.join()
        results = [woke[t.name][0] for t in waiters if t.name in woke]
        late = all(at >= opened_at for _, at in woke.values())
        prompt = all(at - opened_at < PROMPT for _, at in woke.values())
        return report(
            [
                (
                    early is False,
                    "wait(timeout=0.05) before any count_down() returned False",
                    "wait(timeout=0.05) before any count_down() should return False, "
                    f"not {early!r}",
                ),
                (
                    woke_early == 0 and late,
                    "no waiter went on after one count_down() of two",
                    "a waiter went on before the count reached 0: wait until it is 0",
                ),
                (
                    results == [True, True],
                    "both waiters' wait() returned True after the second count_down()",
                    f"after the second count_down() both waits should return True, not {results}",
                ),
                (
                    results == [True, True] and prompt,
                    f"they woke at once, within {PROMPT:g} s: count_down() notifies the waiters",
                    f"the waiters did not wake within {PROMPT:g} s of the last count_down(): "
                    "call notify_all() there",
                ),
            ]
        )

    return safely(check)
