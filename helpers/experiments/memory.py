"""Memory of processes, each measured from inside: threads vs processes, as a table and a chart.

Three numbers per process: **RSS** (resident set size: every page the process has in RAM,
including pages it shares with others -- libraries, or a forked parent's memory), **USS**
(unique set size: pages only this process uses, what the system gets back when it exits) and,
on Linux, **PSS** (proportional set size: unique pages plus an equal share of each shared
page). Summing RSS over processes counts shared pages many times, summing USS never counts
them; summing PSS gives the memory the processes really use together.

No process reads another's memory (macOS forbids it without root): each worker runs
:func:`helpers.workers.introspect.own_memory` and sends the numbers back as its result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt
import pandas as pd

from helpers import _validate
from helpers.workers import introspect

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MB = 2**20
COLUMNS = ["process", "pid", "threads", "uss_mb", "pss_mb", "rss_mb"]
FIELDS = ("pid", "threads", "rss", "uss", "pss")


def each_worker(pool: Executor, workers: int, *, timeout: float = 60.0) -> list[dict[str, Any]]:
    """:func:`~helpers.workers.introspect.own_memory` of each of the ``workers`` processes of
    ``pool``, measured by the worker itself, in pid order.

    Tasks go out ``workers`` at a time, each holding its worker briefly so that the others take
    the rest, until every worker has answered (all must be running: start them first).
    """
    _validate.integer(workers, "workers", 1)
    _validate.positive(timeout, "timeout")
    seen: dict[int, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(seen)} of {workers} workers answered in {timeout}s")
        for answer in pool.map(introspect.own_memory, [0.05] * workers):
            seen.setdefault(answer["pid"], answer)
    return [seen[pid] for pid in sorted(seen)]


def memory_table(processes: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """One row per named process: pid, Python threads, USS, PSS and RSS in MB (2**20 bytes),
    from what each process measured itself (:func:`~helpers.workers.introspect.own_memory`).

    PSS is NaN where the operating system doesn't report it (it does on Linux).
    """
    if not isinstance(processes, Mapping) or not processes:
        raise ValueError("processes must be a non-empty dict of name -> own_memory() result")
    rows = []
    for name, info in processes.items():
        if not isinstance(info, Mapping) or any(field not in info for field in FIELDS):
            raise ValueError(f"{name!r} must map to an own_memory() result, not {info!r}")
        pss = info["pss"]
        rows.append(
            {
                "process": name,
                "pid": info["pid"],
                "threads": info["threads"],
                "uss_mb": info["uss"] / MB,
                "pss_mb": math.nan if pss is None else pss / MB,
                "rss_mb": info["rss"] / MB,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def plot_memory(tables: dict[str, pd.DataFrame], title: str = "Memory per process") -> Figure:
    """Bars of RSS, PSS and USS for every process of every setup (e.g. threads vs processes)."""
    if not tables or any(list(t.columns) != COLUMNS or t.empty for t in tables.values()):
        raise ValueError("tables must map setup names to non-empty memory_table() results")
    rows = [(setup, row) for setup, table in tables.items() for row in table.itertuples()]
    x = range(len(rows))
    bars = [
        ("rss_mb", "RSS (includes all shared pages)", "#c6dbef"),
        ("pss_mb", "PSS (a share of shared pages)", "#6baed6"),
        ("uss_mb", "USS (unique to the process)", "#08519c"),
    ]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(rows)), 3.5), layout="constrained")
    for k, (column, label, color) in enumerate(bars):
        heights = [getattr(row, column) for _, row in rows]
        ax.bar([i + 0.27 * (k - 1) for i in x], heights, width=0.27, label=label, color=color)
    ax.set_xticks(list(x), [f"{setup}\n{row.process}" for setup, row in rows], fontsize=8)
    ax.set_ylabel("MB")
    column = "pss_mb" if all(t["pss_mb"].notna().all() for t in tables.values()) else "uss_mb"
    totals = ", ".join(f"{s}: {t[column].sum():.0f} MB" for s, t in tables.items())
    ax.set_title(f"{title}\n(sum of {column[:3].upper()}: {totals})", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    plt.close(fig)
    return fig
