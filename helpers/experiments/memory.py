"""Memory of processes, measured live with psutil: threads vs processes, as a table and a chart.

Three numbers per process: **RSS** (resident set size: every page the process has in RAM,
including pages it shares with others -- libraries, or a forked parent's memory), **USS**
(unique set size: pages only this process uses, what the system gets back when it exits) and,
on Linux, **PSS** (proportional set size: unique pages plus an equal share of each shared
page). Summing RSS over processes counts shared pages many times, summing USS never counts
them; summing PSS gives the memory the processes really use together.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

MB = 2**20
COLUMNS = ["process", "pid", "uss_mb", "pss_mb", "rss_mb"]


def memory_table(processes: dict[str, int]) -> pd.DataFrame:
    """USS, PSS and RSS in MB (2**20 bytes) of each named process id, one row each.

    PSS is NaN where the operating system doesn't report it (it does on Linux).
    """
    import pandas as pd

    if not isinstance(processes, dict) or not processes:
        raise ValueError("processes must be a non-empty dict of name -> pid")
    rows = []
    for name, pid in processes.items():
        if isinstance(pid, bool) or not isinstance(pid, int) or pid < 1:
            raise ValueError(f"pid of {name!r} must be a positive int, not {pid!r}")
        info = psutil.Process(pid).memory_full_info()
        pss = getattr(info, "pss", math.nan)
        rows.append(
            {
                "process": name,
                "pid": pid,
                "uss_mb": info.uss / MB,
                "pss_mb": pss / MB,
                "rss_mb": info.rss / MB,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def plot_memory(tables: dict[str, pd.DataFrame], title: str = "Memory per process") -> Figure:
    """Bars of RSS, PSS and USS for every process of every setup (e.g. threads vs processes)."""
    if not tables or any(list(t.columns) != COLUMNS or t.empty for t in tables.values()):
        raise ValueError("tables must map setup names to non-empty memory_table() results")
    import matplotlib.pyplot as plt

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
