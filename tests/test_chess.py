import pytest

from helpers.demos import chess


def test_talk_numbers():
    ex = chess.Exhibition()
    assert chess.hours(chess.one_board_at_a_time(ex)) == pytest.approx(12.0)
    # 30 rounds of 24 x 5 s = 1 h, plus the last opponent's 55 s reply
    assert chess.hours(chess.round_the_boards(ex)) == pytest.approx((3600 + 55) / 3600)


def test_few_boards_master_waits_for_opponents():
    ex = chess.Exhibition(boards=2, master_move=1, opponent_move=9, move_pairs=3)
    tl = chess.round_the_boards(ex)
    # board 1: moves at 0, 10, 20 -> ends 30; board 2: moves at 1, 11, 21 -> ends 31
    assert [(s.start, s.end) for s in tl.spans] == [(0, 30), (1, 31)]


def test_plot_one_panel_per_plan():
    ex = chess.Exhibition(boards=3)
    plans = {"a": chess.one_board_at_a_time(ex), "b": chess.round_the_boards(ex)}
    fig = chess.plot_exhibition(plans)
    assert len(fig.axes) == 2
    assert all(len(ax.patches) == 3 for ax in fig.axes)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"boards": 0}, ValueError),
        ({"boards": 2.5}, TypeError),
        ({"master_move": 0}, ValueError),
        ({"opponent_move": "55"}, TypeError),
        ({"move_pairs": True}, TypeError),
    ],
)
def test_bad_exhibitions(kwargs, error):
    with pytest.raises(error):
        chess.Exhibition(**kwargs)


def test_bad_arguments():
    with pytest.raises(ValueError):
        chess.plot_exhibition({})
