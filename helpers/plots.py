"""Charts several notebooks draw: timelines side by side, bars, grouped bars, marks on a timeline.

Each function returns a matplotlib ``Figure`` (closed, so Jupyter shows it once, as the cell's
result). A chart that belongs to one story lives with that story (``helpers.demos``,
``helpers.experiments``) -- except where the story must not import matplotlib: 13's GIL
experiment runs under other interpreters with nothing installed, so its chart is
:func:`grouped_bars` here, which the notebook imports in its Setup cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt

from helpers import _validate
from helpers.timeline import Timeline
from helpers.timing import format_seconds

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plot_side_by_side(timelines: dict[str, Timeline], title: str = "Timelines") -> Figure:
    """Gantt charts next to each other on one time axis (seconds since each run's start)."""
    if not timelines or not all(isinstance(tl, Timeline) and tl.spans for tl in timelines.values()):
        raise ValueError("timelines must map names to non-empty Timelines")
    fig, axes = plt.subplots(
        1, len(timelines), figsize=(4.5 * len(timelines), 2.5), sharex=True, layout="constrained"
    )
    axes = [axes] if len(timelines) == 1 else list(axes)
    colors = plt.get_cmap("tab10").colors
    for ax, (name, tl) in zip(axes, timelines.items(), strict=True):
        df = tl.to_dataframe()
        start = df["start"].min()
        rows = tl.workers()
        for i, row in enumerate(df.itertuples()):
            y = rows.index(row.worker)
            ax.barh(y, row.duration, left=row.start - start, height=0.7, color=colors[i % 10])
            ax.text(
                row.start - start + row.duration / 2,
                y,
                row.label,
                ha="center",
                va="center",
                fontsize=7,
            )
        ax.set_yticks(range(len(rows)), rows)
        ax.invert_yaxis()
        ax.set_title(f"{name}: {format_seconds(tl.makespan())}")
        ax.set_xlabel("seconds since the first task started")
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    plt.close(fig)
    return fig


def bar_chart(values: dict[str, float], title: str, *, ylabel: str = "seconds") -> Figure:
    """A small bar chart of ``{name: value}`` (e.g. start-up seconds per start method)."""
    if not isinstance(values, dict) or not values:
        raise ValueError("values must be a non-empty dict of name -> number")
    fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
    ax.bar(list(values), list(values.values()), color="tab:blue")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    plt.close(fig)  # shown once, by returning it, not again by the inline backend
    return fig


def grouped_bars(
    groups: dict[str, dict[str, float | None]], title: str, *, ylabel: str = "seconds"
) -> Figure:
    """Bars side by side: one group per run (e.g. per interpreter), one bar per way in each.

    ``groups`` maps a run's label to ``{way: value}``, the same ways in every run; ``None`` marks
    a way that run could not measure (drawn as "n/a").
    """
    if not isinstance(groups, dict):
        raise TypeError(f"groups must be a dict of label -> {{way: value}}, not {groups!r}")
    if not groups:
        raise ValueError("groups must hold at least one label -> {way: value}")
    ways = list(next(iter(groups.values())))
    if not ways or any(not isinstance(g, dict) or list(g) != ways for g in groups.values()):
        raise ValueError("every group must be a dict with the same ways, in the same order")
    fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
    width = 0.8 / len(groups)
    for i, (label, values) in enumerate(groups.items()):
        heights = [values[way] or 0.0 for way in ways]
        bars = ax.bar([k + i * width for k in range(len(ways))], heights, width, label=label)
        for bar, way in zip(bars, ways, strict=True):
            if values[way] is None:
                ax.annotate("n/a", (bar.get_x() + width / 2, 0), ha="center", va="bottom")
    ax.set_xticks([k + width * (len(groups) - 1) / 2 for k in range(len(ways))], ways)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    plt.close(fig)
    return fig


def mark_times(fig: Figure, times: Sequence[float], *, t0: float, label: str) -> Figure:
    """Draw a dashed vertical line at each of ``times`` on a timeline plot, with one legend entry.

    Shows *when the caller got each result* on top of the tasks' bars (``Timeline.plot``);
    ``t0`` is the timeline's time zero (``tl.t0``). Returns the same Figure.
    """
    if not fig.axes:
        raise ValueError("the figure has no axes: pass the Figure returned by Timeline.plot")
    _validate.label(label, "label")
    if not times:
        raise ValueError("times must contain at least one time")
    ax = fig.axes[0]
    for i, t in enumerate(times):
        ax.axvline(
            t - t0, color="black", linestyle="--", linewidth=1, label=label if i == 0 else None
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig
