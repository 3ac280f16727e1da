import asyncio
import os
import time
from dataclasses import replace

import pytest

from helpers import cpus
from helpers.demos import chess
from helpers.demos.chess import Exhibition, hours, one_board_at_a_time, round_the_boards
from helpers.experiments import models as ad
from helpers.measure import Timed
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
    measured = ad.measure_models(io_tasks=4, io_seconds=0.05, cpu_tasks=2, cpu_n=200_000, repeat=1)
    assert all(isinstance(m, Timed) for m in measured)
    assert sorted((m.workload, m.way) for m in measured) == sorted(
        (w, m) for w in ("I/O", "CPU") for m in ad.WAYS
    )
    by = {(m.workload, m.way): m for m in measured}
    assert by["I/O", "sequential"].seconds >= 0.2
    assert by["I/O", "threads"].seconds < 0.2
    assert by["I/O", "asyncio"].seconds < 0.2
    assert by["I/O", "asyncio"].cpu_seconds is None  # CPU seconds are measured for the CPU work
    assert by["CPU", "asyncio"].cpu_seconds > 0
    assert by["CPU", "processes"].workers == 2  # one task per worker: 2 could run at once
    table = ad.decision_table(measured)
    assert table.index.tolist() == list(ad.WAYS)
    assert table.index.name == "way"
    assert table.loc["threads", "overlaps waits"]
    assert table.loc["asyncio", "overlaps waits"]
    assert not table.loc["sequential", "overlaps waits"]
    assert list(table.columns) == ["I/O time", "overlaps waits", "CPU time", "choose for"]
    checks = ad.cpu_checks(measured)
    assert checks["sequential, threads and asyncio never kept more than one core busy"]
    assert all(m.idle_cores is not None and m.idle_cores >= 0 for m in measured)


def test_measure_models_runs_inside_a_running_event_loop():
    """Notebook 12 calls it from a cell, where Jupyter's event loop is already running."""

    async def from_a_coroutine():
        return ad.measure_models(io_tasks=1, io_seconds=0.01, cpu_tasks=1, cpu_n=10, repeat=1)

    measured = asyncio.run(from_a_coroutine())
    assert {m.way for m in measured} == set(ad.WAYS)


def test_decision_table_needs_every_measurement():
    with pytest.raises(ValueError, match="missing"):
        ad.decision_table([Timed("threads", 1, 1.0, None, workload="I/O")])
    with pytest.raises(ValueError, match="missing"):
        ad.decision_table([])


def _round(r, cpu_seq, cpu_threads, cpu_processes, idle_processes=0.0, wall=1.0):
    """A synthetic round: I/O waits overlap for all but sequential; CPU seconds as given.

    The processes' pool has as many workers as the machine has cores (usable_cpus), so every
    idle core is one a worker could have used: spare cores = idle cores.
    """
    io = {"sequential": 0.4, "threads": 0.1, "processes": 0.1, "asyncio": 0.1}
    cpu = {"sequential": cpu_seq, "threads": cpu_threads, "processes": cpu_processes}
    cpu["asyncio"] = cpu_seq
    workers = os.cpu_count() or 1
    return [
        Timed(m, 1 if m in ("sequential", "asyncio") else workers, t, None, 0.0, r, "I/O")
        for m, t in io.items()
    ] + [
        Timed(
            m,
            workers if m == "processes" else 1,
            wall,
            c,
            idle_processes if m == "processes" else 1.0,
            r,
            "CPU",
        )
        for m, c in cpu.items()
    ]


def test_decision_table_compares_round_by_round():
    loaded = _round(0, 0.5, 0.5, 1.0) + _round(1, 0.5, 0.55, 0.9) + _round(2, 1.0, 1.0, 1.9)
    table = ad.decision_table(loaded)
    assert table["overlaps waits"].tolist() == [False, True, True, True]
    assert table.loc["processes", "CPU time"] == "1.00s"


def test_cpu_checks(monkeypatch):
    monkeypatch.setattr(cpus, "usable_cpus", lambda: os.cpu_count() or 1)
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


def test_cpu_checks_do_not_count_cores_no_worker_could_use(monkeypatch):
    """On 16 cores, a 2-worker pool leaves 14 idle by design: not held against it."""
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 16)
    monkeypatch.setattr(cpus, "usable_cpus", lambda: 16)
    busy = [r if r.way != "processes" else replace(r, workers=2) for r in _round(0, 0.5, 0.5, 2.0)]
    spread = [replace(r, idle_cores=14.2) if r.way == "processes" else r for r in busy]
    assert list(ad.cpu_checks(spread).values()) == [True, True]
    lazy = [replace(r, idle_cores=15.0) if r.way == "processes" else r for r in busy]
    assert list(ad.cpu_checks(lazy).values()) == [True, False]


@pytest.mark.parametrize(
    "kwargs", [{"io_tasks": 0}, {"cpu_tasks": 0}, {"cpu_n": 0}, {"repeat": 0}, {"io_seconds": 0}]
)
def test_measure_models_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        ad.measure_models(**kwargs)
