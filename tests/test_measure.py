"""The course's one timing framework: Timed records, rounds, best, speedups, medians."""

import time

import pytest

from helpers import cpus, measure
from helpers.measure import Timed


def test_timed_cores_busy_and_key():
    record = Timed("processes", 2, 0.5, 0.9, 0.1, 3, "cpu")
    assert record.cores_busy == pytest.approx(1.8)
    assert record.key == ("cpu", "processes", 2)
    assert Timed("threads", 2, 0.5).cores_busy is None  # CPU seconds not measured
    assert Timed("threads", 2, 0.0, 1.0).cores_busy is None


def test_rounds_time_every_way_once_per_round_in_turn():
    calls = []

    def way(name, cpu):
        def run():
            calls.append(name)
            time.sleep(0.01)
            return cpu

        return run

    ways = [("a", 1, way("a", 0.5)), ("b", 2, way("b", None)), ("c", 1, way("c", None))]
    records = measure.rounds(ways, 4, workload="w")
    # in turn, each round starting one way later, so no way always runs first
    assert calls == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c"]
    assert [(r.way, r.round) for r in records] == [(c, n // 3) for n, c in enumerate(calls)]
    assert {(r.way, r.workers, r.workload) for r in records} == {
        ("a", 1, "w"),
        ("b", 2, "w"),
        ("c", 1, "w"),
    }
    assert all(r.seconds >= 0.01 for r in records)
    assert {r.way: r.cpu_seconds for r in records} == {"a": 0.5, "b": None, "c": None}
    assert all(r.idle_cores is None or r.idle_cores >= 0 for r in records)


@pytest.mark.parametrize(
    ("ways", "repeat", "error"),
    [([], 1, ValueError), ("ab", 1, TypeError), ([("a", 1, lambda: None)], 0, ValueError)],
)
def test_rounds_rejects_bad_input(ways, repeat, error):
    with pytest.raises(error):
        measure.rounds(ways, repeat)


def test_time_once_rejects_bad_input():
    with pytest.raises(TypeError):
        measure.time_once("not callable", "a")
    with pytest.raises(ValueError):
        measure.time_once(lambda: None, "a", 0)


def _records(seconds_by_way):
    return [
        Timed(way, workers, t, round=n)
        for way, workers, times in seconds_by_way
        for n, t in enumerate(times)
    ]


def test_best_keeps_the_fastest_round_in_first_seen_order():
    records = _records([("b", 1, (2.0, 1.5)), ("a", 2, (0.7, 0.9))])
    assert [(r.way, r.seconds, r.round) for r in measure.best(records)] == [
        ("b", 1.5, 1),
        ("a", 0.7, 0),
    ]
    with pytest.raises(TypeError):
        measure.best([("a", 1, 1.0)])


def test_speedups_pair_rounds_and_take_the_median():
    # round 1 was slowed for both ways alike; round 2's 0.1 s was one lucky run
    records = _records([("sequential", 1, (1.0, 3.0, 1.0)), ("processes", 2, (0.5, 1.5, 0.1))])
    speedup = measure.speedups(records, ("", "sequential", 1))
    assert speedup == {("", "sequential", 1): 1.0, ("", "processes", 2): 2.0}
    with pytest.raises(ValueError):
        measure.speedups(records, ("", "threads", 4))


def test_median_over_rounds_is_none_where_a_round_was_not_measured():
    records = [
        Timed("a", 1, 1.0, 0.5, round=0),
        Timed("a", 1, 1.0, 0.9, round=1),
        Timed("a", 1, 1.0, 0.7, round=2),
        Timed("b", 1, 1.0, None, round=0),
        Timed("b", 1, 1.0, 1.0, round=1),
    ]
    medians = measure.median_over_rounds(records, lambda r: r.cores_busy)
    assert medians == {("", "a", 1): pytest.approx(0.7), ("", "b", 1): None}


def test_idle_core_seconds_and_cpu_seconds_with_children_are_counters():
    idle = [measure.idle_core_seconds() for _ in range(2)]
    assert idle[0] is None or 0 <= idle[0] <= idle[1]
    start = measure.cpu_seconds_with_children()
    sum(i * i for i in range(200_000))
    assert measure.cpu_seconds_with_children() > start


def test_spare_cores_of_a_record_subtract_cores_no_worker_could_use(monkeypatch):
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 16)
    monkeypatch.setattr(cpus, "usable_cpus", lambda: 16)
    assert Timed("processes", 4, 1.0, 4.0, 12.2).spare_cores == pytest.approx(0.2)
    assert Timed("processes", 4, 1.0, 4.0, 11.0).spare_cores == 0.0


def test_warm_up_runs_every_way_once_untimed():
    calls = []
    ways = [(name, 1, lambda name=name: calls.append(name)) for name in "ab"]
    records = measure.rounds(ways, 2, warm_up=True)
    assert calls == ["a", "b", "a", "b", "b", "a"]  # the warm-up, then two rounds in turn
    assert len(records) == 4
