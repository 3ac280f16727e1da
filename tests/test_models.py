import asyncio
import time

import pytest

from helpers.demos import chess
from helpers.demos.chess import Exhibition, hours, one_board_at_a_time, round_the_boards
from helpers.experiments import models as ad
from helpers.timeline import Timeline

SMALL = Exhibition(boards=3, master_move=1, opponent_move=4, move_pairs=2)


def test_play_game_returns_its_board_and_records_moves():
    tl = Timeline()
    assert asyncio.run(chess.play_game(SMALL, 2, 0.001, tl)) == 2
    spans = tl.spans
    assert [s.label for s in spans] == ["M", "r", "M", "r"]
    assert {s.thread for s in spans} == {"board 2"}


def test_round_the_boards_with_gather_matches_the_plan():
    scale = 0.01

    async def play_all():
        start = time.perf_counter()
        await asyncio.gather(*(chess.play_game(SMALL, b, scale) for b in (1, 2, 3)))
        return time.perf_counter() - start

    measured = chess.exhibition_hours(asyncio.run(play_all()), scale)
    planned = hours(round_the_boards(SMALL))
    assert planned <= measured < hours(one_board_at_a_time(SMALL))  # 12 s <= measured < 30 s


def test_master_moves_go_round_the_boards():
    tl = Timeline()

    async def play_all():
        await asyncio.gather(*(chess.play_game(SMALL, b, 0.005, tl) for b in (1, 2, 3)))

    asyncio.run(play_all())
    order = [s.thread for s in tl.spans if s.label == "M"]
    assert order == ["board 1", "board 2", "board 3"] * 2


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("not an exhibition", 1, 0.1), TypeError),
        ((SMALL, 0, 0.1), ValueError),
        ((SMALL, 1, 0), ValueError),
        ((SMALL, 1, 2), ValueError),
        ((SMALL, 1, True), ValueError),
    ],
)
def test_play_game_rejects_bad_input(args, error):
    with pytest.raises(error):
        asyncio.run(chess.play_game(*args))


def test_exhibition_hours():
    assert chess.exhibition_hours(1.0, 1 / 3600) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        chess.exhibition_hours(-1, 0.5)
    with pytest.raises(TypeError):
        chess.exhibition_hours("1", 0.5)


def test_measure_models_and_decision_table():
    measured = asyncio.run(
        ad.measure_models(io_tasks=4, io_seconds=0.05, cpu_tasks=2, cpu_n=200_000, repeat=1)
    )
    assert sorted((m.workload, m.model) for m in measured) == sorted(
        (w, m) for w in ("I/O", "CPU") for m in ad.MODELS
    )
    by = {(m.workload, m.model): m for m in measured}
    assert by["I/O", "sequential"].elapsed >= 0.2
    assert by["I/O", "threads"].elapsed < 0.2
    assert by["I/O", "asyncio"].cpu == 0.0
    table = ad.decision_table(measured)
    assert table.index.tolist() == list(ad.MODELS)
    assert table.loc["threads", "overlaps waits"]
    assert table.loc["asyncio", "overlaps waits"]
    assert not table.loc["sequential", "overlaps waits"]
    assert list(table.columns) == ["I/O time", "overlaps waits", "CPU time", "choose for"]
    checks = ad.cpu_checks(measured)
    assert checks["sequential, threads and asyncio never kept more than one core busy"]
    assert all(m.idle_cores is not None and m.idle_cores >= 0 for m in measured)


def test_decision_table_needs_every_measurement():
    with pytest.raises(ValueError, match="missing"):
        ad.decision_table([ad.Measured("I/O", "threads", 1.0, 0.0)])
    with pytest.raises(ValueError, match="missing"):
        ad.decision_table([])


def _round(r, cpu_seq, cpu_threads, cpu_processes, idle_processes=0.0, wall=1.0):
    """A synthetic round: I/O waits overlap for all but sequential; CPU seconds as given."""
    io = {"sequential": 0.4, "threads": 0.1, "processes": 0.1, "asyncio": 0.1}
    cpu = {"sequential": cpu_seq, "threads": cpu_threads, "processes": cpu_processes}
    cpu["asyncio"] = cpu_seq
    return [ad.Measured("I/O", m, t, 0.0, r) for m, t in io.items()] + [
        ad.Measured("CPU", m, wall, c, r, idle_processes if m == "processes" else 1.0)
        for m, c in cpu.items()
    ]


def test_decision_table_compares_round_by_round():
    loaded = _round(0, 0.5, 0.5, 1.0) + _round(1, 0.5, 0.55, 0.9) + _round(2, 1.0, 1.0, 1.9)
    table = ad.decision_table(loaded)
    assert table["overlaps waits"].tolist() == [False, True, True, True]
    assert table.loc["processes", "CPU time"] == "1.00s"


def test_cpu_checks():
    # a loaded machine: the processes got less than a core in two rounds, yet left none idle
    loaded = _round(0, 0.5, 0.5, 0.8) + _round(1, 0.5, 1.08, 0.9, 0.3) + _round(2, 1.0, 1.0, 1.9)
    assert list(ad.cpu_checks(loaded).values()) == [True, True]
    threads_twice = _round(0, 0.5, 2.0, 0.8) + _round(1, 0.5, 0.5, 0.9)
    assert list(ad.cpu_checks(threads_twice).values()) == [False, True]
    idle = _round(0, 0.5, 0.5, 0.8, 1.0) + _round(1, 0.5, 0.5, 0.9, 0.6)
    assert list(ad.cpu_checks(idle).values()) == [True, False]
    with pytest.raises(ValueError, match="idle"):
        ad.cpu_checks(_round(0, 0.5, 0.5, 0.8, None))
    with pytest.raises(ValueError, match="missing"):
        ad.cpu_checks([])


def test_cores_busy():
    assert ad.Measured("CPU", "processes", 0.5, 0.9).cores_busy == pytest.approx(1.8)
    assert ad.Measured("CPU", "processes", 0.0, 0.9).cores_busy == 0.0


@pytest.mark.parametrize(
    "kwargs", [{"io_tasks": 0}, {"cpu_tasks": 0}, {"cpu_n": 0}, {"repeat": 0}, {"io_seconds": 0}]
)
def test_measure_models_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        asyncio.run(ad.measure_models(**kwargs))
