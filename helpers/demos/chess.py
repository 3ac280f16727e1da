"""The talk's chess exhibition (from Miguel Grinberg's PyCon 2017 talk), simulated.

A master plays ``boards`` opponents. Each move pair is the master's move followed by the
opponent's reply. Played one board at a time, the master sits idle while each opponent thinks;
going round the boards, she moves on the next board while the others think: concurrency with
a single worker and no parallelism. Notebook 00 plays it with threads in the notebook itself.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import matplotlib.pyplot as plt

from helpers import _validate
from helpers.timeline import Timeline
from helpers.workers.spans import Span

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Exhibition:
    """The talk's numbers: 24 boards, master 5 s per move, opponents 55 s, 30 move pairs."""

    boards: int = 24
    master_move: float = 5.0
    opponent_move: float = 55.0
    move_pairs: int = 30

    def __post_init__(self) -> None:
        for name in ("boards", "move_pairs"):
            _validate.integer(getattr(self, name), name, 1)
        for name in ("master_move", "opponent_move"):
            _validate.positive(getattr(self, name), name)


def _check_exhibition(ex: object) -> Exhibition:
    if not isinstance(ex, Exhibition):
        raise TypeError(f"ex must be an Exhibition, not {type(ex).__name__}")
    return ex


def _timeline(games: list[tuple[float, float]]) -> Timeline:
    """Timeline in simulated seconds (t0 = 0), one row per board, one span per game."""
    tl = Timeline(t0=0.0)
    for board, (start, end) in enumerate(games, 1):
        tl.add(Span(f"game {board}", f"board {board}", 0, start, end))
    return tl


def one_board_at_a_time(ex: Exhibition) -> Timeline:
    """The master finishes each game before starting the next: the games run back to back."""
    _check_exhibition(ex)
    game = ex.move_pairs * (ex.master_move + ex.opponent_move)
    return _timeline([(b * game, (b + 1) * game) for b in range(ex.boards)])


def round_the_boards(ex: Exhibition) -> Timeline:
    """The master moves on each board in turn; an opponent replies while she is elsewhere."""
    _check_exhibition(ex)
    ready = [0.0] * ex.boards  # when each board next needs the master
    start: list[float] = [0.0] * ex.boards
    clock = 0.0
    for pair in range(ex.move_pairs):
        for b in range(ex.boards):
            clock = max(clock, ready[b])
            if pair == 0:
                start[b] = clock
            clock += ex.master_move
            ready[b] = clock + ex.opponent_move
    return _timeline([(start[b], ready[b]) for b in range(ex.boards)])


def hours(tl: Timeline) -> float:
    """When the last game of a simulated exhibition ends, in hours."""
    if not isinstance(tl, Timeline):
        raise TypeError(f"tl must be a Timeline, not {type(tl).__name__}")
    if not tl.spans:
        raise ValueError("tl has no spans: simulate an exhibition first")
    return max(s.end for s in tl.spans) / 3600


def plot_exhibition(plans: dict[str, Timeline]) -> Figure:
    """Side-by-side charts of simulated exhibitions: one row per board, x axis in hours."""
    if not isinstance(plans, dict):
        raise TypeError(f"plans must be a dict of title -> Timeline, not {type(plans).__name__}")
    if not plans:
        raise ValueError("plans must name at least one simulated exhibition")
    for tl in plans.values():
        hours(tl)  # each must be a non-empty Timeline
    fig, axes = plt.subplots(1, len(plans), figsize=(9, 3.5), sharey=True, layout="constrained")
    axes = [axes] if len(plans) == 1 else list(axes)
    end = max(hours(tl) for tl in plans.values())
    for ax, (title, tl) in zip(axes, plans.items(), strict=True):
        rows = tl.workers()
        for s in tl.spans:
            ax.barh(rows.index(s.thread), (s.end - s.start) / 3600, left=s.start / 3600, height=0.8)
        ax.set_title(f"{title}: {hours(tl):.1f} h")
        ax.set_xlim(0, end * 1.02)
        ax.set_xlabel("hours")
    axes[0].invert_yaxis()  # shared y axis: invert once, board 1 on top
    axes[0].set_ylabel(f"board (1 to {len(rows)})")
    axes[0].set_yticks([])
    plt.close(fig)
    return fig


def _check_scale(scale: float) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 1:
        raise ValueError(
            f"scale must be in (0, 1] real seconds per simulated second, not {scale!r}"
        )
    return scale


def _check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


async def play_game(
    ex: Exhibition, board: int, scale: float, timeline: Timeline | None = None
) -> int:
    """Play one board's game in compressed time; return the board number.

    The master's move is a *blocking* ``time.sleep``: she thinks about one board at a time, and
    while she does, the event loop (the master) can do nothing else. The opponent's reply is
    awaited, so the master is free to move on other boards meanwhile. With a ``timeline``, each
    master move (``M``) and reply (``r``) is recorded in a row named after the board.
    """
    if not isinstance(ex, Exhibition):
        raise TypeError(f"ex must be an Exhibition, not {type(ex).__name__}")
    _check_positive_int("board", board)
    _check_scale(scale)
    for _ in range(ex.move_pairs):
        start = time.time()
        time.sleep(ex.master_move * scale)  # the master thinks: nothing else runs
        moved = time.time()
        await asyncio.sleep(ex.opponent_move * scale)  # the opponent thinks: the master is free
        if timeline is not None:
            row = f"board {board}"
            timeline.add(Span("M", row, os.getpid(), start, moved))
            timeline.add(Span("r", row, os.getpid(), moved, time.time()))
    return board


def exhibition_hours(real_seconds: float, scale: float) -> float:
    """Convert a measured, compressed duration back to exhibition hours."""
    if isinstance(real_seconds, bool) or not isinstance(real_seconds, int | float):
        raise TypeError(f"real_seconds must be a number, not {type(real_seconds).__name__}")
    if real_seconds < 0:
        raise ValueError(f"real_seconds must be >= 0, not {real_seconds}")
    return real_seconds / _check_scale(scale) / 3600
