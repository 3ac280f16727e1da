"""The pool explorer's experiment: settings in, a timeline and the physical limit out."""

import math
import os
import sys

import pytest

from helpers.cpus import usable_cpus
from helpers.demos.pool_explorer import KINDS, Exploration, draw, explore, physical_limit

IO, CPU = KINDS


def most_at_once(result: Exploration) -> int:
    """The largest number of the run's tasks that were running at the same moment."""
    events = sorted(
        [(s.start, 1) for s in result.timeline.spans] + [(s.end, -1) for s in result.timeline.spans]
    )  # at equal times an end (-1) sorts before a start (+1)
    running = most = 0
    for _, change in events:
        running += change
        most = max(most, running)
    return most


def test_physical_limit_is_rounds_of_tasks_times_their_length():
    assert physical_limit(10, 3, 0.2) == pytest.approx(0.8)  # 4 rounds: 3 + 3 + 3 + 1
    assert physical_limit(9, 3, 0.2) == pytest.approx(0.6)
    assert physical_limit(2, 8, 0.5) == pytest.approx(0.5)


@pytest.mark.parametrize("way", ["threads", "processes"])
def test_io_tasks_never_beat_the_physical_limit_and_respect_the_server_limit(way):
    result = explore(way, IO, workers=4, tasks=7, seconds=0.1, limit=3)
    assert result.at_once == 3
    assert result.limit == pytest.approx(math.ceil(7 / 3) * 0.1)
    assert len(result.timeline.spans) == 7
    assert most_at_once(result) <= 3  # the semaphore: never more requests than the server takes
    assert result.seconds >= result.limit  # each task sleeps its 0.1 s, at most 3 at a time
    assert result.work == pytest.approx(0.7)
    assert result.best_speedup == pytest.approx(7 / 3)
    assert result.speedup <= result.best_speedup + 1e-9


def test_more_workers_than_the_server_takes_do_not_help():
    result = explore("threads", IO, workers=6, tasks=6, seconds=0.05, limit=2)
    assert result.at_once == 2
    assert most_at_once(result) <= 2
    assert result.seconds >= physical_limit(6, 2, 0.05)


def test_workers_below_the_server_limit_set_the_pace():
    result = explore("threads", IO, workers=2, tasks=4, seconds=0.05, limit=8)
    assert result.at_once == 2
    assert len(result.timeline.workers()) <= 2


def test_process_pool_runs_tasks_in_its_worker_processes():
    result = explore("processes", IO, workers=2, tasks=4, seconds=0.05, limit=8)
    pids = {s.pid for s in result.timeline.spans}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


@pytest.mark.skipif(
    hasattr(sys, "_is_gil_enabled") and not sys._is_gil_enabled(), reason="GIL disabled"
)
def test_cpu_tasks_in_threads_keep_at_most_one_core_busy():
    result = explore("threads", CPU, workers=2, tasks=4, seconds=0.05, limit=1)
    assert result.at_once == min(2, usable_cpus())  # the server limit does not apply to CPU work
    assert 0 < result.speedup <= 1.1  # the GIL: one thread runs Python code at a time
    assert result.seconds >= result.limit * 0.9


def test_cpu_tasks_in_processes_are_bounded_by_the_usable_cores():
    result = explore("processes", CPU, workers=2, tasks=4, seconds=0.05, limit=1)
    assert result.at_once == min(2, usable_cpus())
    assert 0 < result.speedup <= result.at_once * 1.1
    assert len(result.timeline.spans) == 4


def test_draw_shows_the_timeline_and_the_speedups():
    result = explore("threads", IO, workers=2, tasks=3, seconds=0.02, limit=2)
    fig = draw(result)
    gantt, bars = fig.axes
    assert len(gantt.patches) == 3  # one bar per task
    assert [round(p.get_height(), 6) for p in bars.patches] == [
        round(result.speedup, 6),
        round(result.best_speedup, 6),
    ]
    with pytest.raises(TypeError):
        draw("not a result")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"way": "fibers"}, ValueError),
        ({"kind": "GPU-bound"}, ValueError),
        ({"workers": 0}, ValueError),
        ({"tasks": 2.5}, TypeError),
        ({"seconds": 0}, ValueError),
        ({"limit": 0}, ValueError),
    ],
)
def test_bad_settings_are_rejected(kwargs, error):
    settings = {"way": "threads", "kind": IO, "workers": 1, "tasks": 1, "seconds": 0.01, "limit": 1}
    with pytest.raises(error):
        explore(**{**settings, **kwargs})


def test_the_server_limit_is_optional():
    io = explore("threads", IO, workers=3, tasks=3, seconds=0.02)  # no limit: the workers bind
    assert io.server_limit is None and io.at_once == 3
    assert io.limit == pytest.approx(0.02)
    cpu = explore("threads", CPU, workers=2, tasks=2, seconds=0.02)
    assert cpu.server_limit is None and cpu.at_once == min(2, usable_cpus())


def test_idle_cores_are_measured_for_the_spare_cores():
    result = explore("processes", CPU, workers=2, tasks=2, seconds=0.05)
    assert result.idle_cores is not None and result.spare_cores is not None
    assert 0 <= result.spare_cores <= (os.cpu_count() or 1)


def _cpu_run(workers: int, seconds: float) -> Exploration:
    from helpers.timeline import Timeline

    return Exploration("processes", "CPU-bound", workers, 4, 0.1, None, 1, Timeline(), seconds,
                       seconds, seconds)  # fmt: skip


@pytest.mark.parametrize(
    ("scheduled", "quota", "workers", "seconds", "most"),
    [
        (2, None, 2, 0.2, 2.2),  # no quota: min(workers, usable cores), +10%
        (8, None, 2, 0.2, 2.2),  # a laptop: the workers, not the cores, cap it
        (16, None, 32, 0.2, 17.6),
        (64, None, 4, 5.0, 4.4),
        (2, 1.0, 1, 0.2, 1.1),  # one worker is one core, quota or not
        (2, 1.0, 2, 0.4, 1.65),  # 1-CPU quota: bursts of a period at either end, 0.2 s in 0.4 s
        (2, 1.0, 4, 0.1, 2.2),  # ... but never more cores than the OS schedules it on
        (2, 1.0, 2, 20.0, 1.111),  # a long run: the quota itself
        (16, 1.5, 8, 1.0, 2.53),  # 1.5 CPUs count as 2 usable, + 0.3 in bursts
    ],
)
def test_most_cores_busy_under_any_core_count_and_quota(
    monkeypatch, scheduled, quota, workers, seconds, most
):
    from helpers import cpus

    monkeypatch.setattr(cpus, "scheduled_cpus", lambda: scheduled)
    monkeypatch.setattr(cpus, "cpu_quota", lambda *a: quota)
    assert _cpu_run(workers, seconds).most_cores_busy == pytest.approx(most, abs=1e-3)
