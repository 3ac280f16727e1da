import functools
import multiprocessing
import os
import time

import pytest

from helpers.experiments.threads_vs_processes import makespan, plot_speedup, speedup_sweep
from helpers.measure import Timed, idle_core_seconds
from helpers.plots import plot_side_by_side
from helpers.pools import START_METHOD_ENV, make_pool
from helpers.timeline import Timeline
from helpers.workers import waits
from helpers.workers.cpu import cpu_timed, products, trivial_factoring
from helpers.workers.spans import Span, recorded


def _spans(way, workers, fn, tasks):
    tl = Timeline()
    with make_pool(way, workers, warm=True) as pool:
        futures = [pool.submit(recorded, f"task {i}", fn, t) for i, t in enumerate(tasks, 1)]
        for future in futures:
            tl.add(future.result())
    return tl


def test_tasks_recorded_in_pools_keep_their_labels_and_workers():
    tasks = products(3, 1000)
    threads = _spans("threads", 2, trivial_factoring, tasks)
    assert {s.thread for s in threads.spans} <= {"thread_0", "thread_1"}
    processes = _spans("processes", 2, trivial_factoring, tasks)
    assert sorted(s.label for s in processes.spans) == ["task 1", "task 2", "task 3"]
    assert os.getpid() not in {s.pid for s in processes.spans}


@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_process_workers_all_start_before_the_first_task(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_ENV, method)
    spans = _spans("processes", 3, waits.wait_some_time, [0.5] * 3).spans
    assert len({s.pid for s in spans}) == 3  # each worker took one task: all were up at once
    assert max(s.start for s in spans) - min(s.start for s in spans) < 0.4


def test_pools_run_in_parallel_when_waiting():
    assert makespan(_spans("threads", 3, waits.wait_some_time, [0.2] * 3)) < 0.5


def test_cpu_timed_measures_this_threads_cpu_time():
    assert cpu_timed(waits.wait_some_time, 0.1)[1] < 0.05
    factors, cpu = cpu_timed(trivial_factoring, products(1, 100_000)[0])
    assert len(factors) == 2 and cpu > 0


def test_idle_core_seconds_is_a_counter_that_never_decreases():
    readings = []
    for _ in range(3):
        readings.append(idle_core_seconds())
        time.sleep(0.05)
    assert all(isinstance(r, float) for r in readings)
    assert 0 <= readings[0] <= readings[1] <= readings[2]


def test_makespan():
    tl = Timeline(t0=0)
    tl.add(Span("a", "w", 1, 1.0, 2.0))
    tl.add(Span("b", "w", 1, 1.5, 3.5))
    assert makespan(tl) == 2.5
    with pytest.raises(ValueError):
        makespan(Timeline())


# 3.12+ warns when forking a process that has threads (here: the sweep's idle thread pools).
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_sweep_records_and_plot():
    records = speedup_sweep(trivial_factoring, products(2, 1000), workers=[1, 2], repeat=2)
    assert all(isinstance(r, Timed) for r in records)
    one_round = [("sequential", 1), ("threads", 1), ("threads", 2), ("processes", 1)]
    one_round += [("processes", 2)]
    for n in (0, 1):  # every way once per round, in turn
        assert sorted((r.way, r.workers) for r in records[5 * n : 5 * n + 5]) == sorted(one_round)
        assert {r.round for r in records[5 * n : 5 * n + 5]} == {n}
    assert all(r.seconds > 0 and r.cpu_seconds > 0 for r in records)
    assert all(r.cores_busy < 1.2 for r in records if r.way == "threads")  # the GIL
    assert all(r.idle_cores >= 0 and r.spare_cores >= 0 for r in records)
    fig = plot_speedup(records, cores=2)
    assert [len(ax.lines) for ax in fig.axes] == [4, 6]  # ways (+ spare), ideal, cores


def test_side_by_side_has_a_panel_per_timeline():
    tl = Timeline(t0=0)
    tl.add(Span("a", "w", 1, 0.0, 1.0))
    fig = plot_side_by_side({"one": tl, "two": tl})
    assert [ax.get_title() for ax in fig.axes] == ["one: 1.00s", "two: 1.00s"]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: make_pool("fibers", 2), ValueError),
        (lambda: make_pool("threads", 0), ValueError),
        (lambda: make_pool("threads", 1.5), TypeError),
        (lambda: speedup_sweep(trivial_factoring, [], [1]), ValueError),
        (lambda: speedup_sweep(trivial_factoring, [6], []), ValueError),
        (lambda: speedup_sweep(trivial_factoring, [6], [1], repeat=0), ValueError),
        (lambda: speedup_sweep(trivial_factoring, [6, 6], [3]), ValueError),
        (lambda: speedup_sweep(trivial_factoring, "66", [1]), TypeError),
        (lambda: speedup_sweep(trivial_factoring, [6], 2), TypeError),
        (lambda: plot_speedup([Timed("sequential", 1, 1.0)], 2), ValueError),
        (lambda: plot_speedup([Timed("threads", 2, 1.0)], 2), ValueError),
        (lambda: plot_speedup([Timed("threads", 2, 1.0)], 0), ValueError),
        (lambda: plot_side_by_side({}), ValueError),
        (lambda: plot_side_by_side({"empty": Timeline()}), ValueError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(
    "fn", [lambda n: n, functools.partial(lambda n, k: n + k, k=1)], ids=["lambda", "partial"]
)
def test_unpicklable_process_worker_is_rejected_before_any_process_starts(fn):
    before = multiprocessing.active_children()
    with pytest.raises(TypeError, match="module-level functions in a module") as caught:
        speedup_sweep(fn, [1, 2], (1, 2))
    assert caught.value.__cause__ is not None  # pickle's own error, chained
    assert multiprocessing.active_children() == before  # no pool was started
