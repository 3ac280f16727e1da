"""Checks for the "Your turn" exercises of notebook 00 (the chess exhibition)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report
from helpers.demos.chess import Exhibition, hours, one_board_at_a_time, round_the_boards


def check_exhibition_limits(bottleneck_from: Any, speedup_cap: Any) -> bool:
    """From how many boards on the master is the bottleneck (13), and the speed-up's cap (12x).

    Both answers follow from the talk's numbers (5 s per master move, 55 s per reply); the
    simulation of :mod:`helpers.demos.chess` confirms them, so a wrong answer can be explained.
    """
    if not_answered(bottleneck_from, speedup_cap):
        return False
    ex = Exhibition()
    cycle = ex.master_move + ex.opponent_move  # one move and its reply: 60 s
    first = next(b for b in range(1, 100) if b * ex.master_move > cycle)  # 13
    cap = cycle / ex.master_move  # 12
    busy = Exhibition(boards=first)
    simulated = hours(one_board_at_a_time(busy)) / hours(round_the_boards(busy))
    return report(
        [
            (
                bottleneck_from == first,
                f"from {first} boards on, a round of her moves ({first} × 5 s) outlasts a move "
                f"and its reply ({cycle:g} s): the opponents wait for her",
                f"not {bottleneck_from!r}: compare a round of her moves (boards × 5 s) with one "
                f"move plus one reply ({cycle:g} s); the first board count where the round is "
                "longer is the answer",
            ),
            (
                isinstance(speedup_cap, int | float) and abs(speedup_cap - cap) < 0.05,
                f"the speed-up never exceeds {cap:g}x: (5 s + 55 s) / 5 s — with {first} boards "
                f"the simulation gives {simulated:.1f}x",
                f"not {speedup_cap!r}: one board at a time, each move pair costs her 5 s + 55 s; "
                "round the boards, at best only her own 5 s",
            ),
        ]
    )
