"""The race explorer (notebook 02): every order in which two threads can run ``counter += 1``.

Each thread runs three steps: *load* the shared counter into its own register, *add* 1 to the
register, *store* the register back into the counter. A thread's steps keep their order, but the
two threads' steps can interleave in C(6, 3) = 20 ways. An order is written as six letters, the
thread that runs each step: ``"AABABB"`` is A load, A add, B load, A store, B add, B store.
:func:`replay` plays one order step by step, as a table of both registers and the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import pandas as pd

THREADS = ("A", "B")
STEPS = ("load", "add", "store")  # what `counter += 1` is made of, in each thread's order


@dataclass(frozen=True)
class Moment:
    """The state after a step: what ran, each thread's register (None before its load), counter."""

    step: str
    registers: dict[str, int | None]
    counter: int


def interleavings() -> list[str]:
    """All 20 orders of two threads' three steps, as strings like ``"AABABB"``, sorted."""
    size = len(THREADS) * len(STEPS)
    orders = []
    for places in combinations(range(size), len(STEPS)):  # where A's steps go
        orders.append("".join("A" if i in places else "B" for i in range(size)))
    return sorted(orders)


def _check(order: str) -> str:
    if not isinstance(order, str):
        raise TypeError(f"order must be a string like 'AABABB', not {type(order).__name__}")
    if sorted(order) != sorted("AAABBB"):
        raise ValueError(f"order must hold three A and three B, like 'AABABB', not {order!r}")
    return order


def steps(order: str) -> list[str]:
    """The six steps of ``order`` in words: ``["A load", "A add", "B load", ...]``."""
    done = dict.fromkeys(THREADS, 0)
    named = []
    for thread in _check(order):
        named.append(f"{thread} {STEPS[done[thread]]}")
        done[thread] += 1
    return named


def replay(order: str) -> list[Moment]:
    """Run ``order`` from counter 0: the start, then the state after each of the six steps."""
    registers: dict[str, int | None] = dict.fromkeys(THREADS)
    counter = 0
    moments = [Moment("start", dict(registers), counter)]
    for step in steps(order):
        thread, action = step.split()
        if action == "load":
            registers[thread] = counter
        elif action == "add":
            registers[thread] += 1
        else:
            counter = registers[thread]
        moments.append(Moment(step, dict(registers), counter))
    return moments


def loses_an_update(order: str) -> bool:
    """True if ``order`` ends with the counter at 1 instead of 2: one thread's add was lost."""
    return replay(order)[-1].counter < len(THREADS)


def replay_table(order: str) -> pd.DataFrame:
    """:func:`replay` as a table: one row per moment, columns step, A's register, counter, B's."""

    def shown(value: int | None) -> str:
        return "-" if value is None else str(value)

    rows = [
        {
            "step": m.step,
            "A's register": shown(m.registers["A"]),
            "counter": m.counter,
            "B's register": shown(m.registers["B"]),
        }
        for m in replay(order)
    ]
    return pd.DataFrame(rows)
