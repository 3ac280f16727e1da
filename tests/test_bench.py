import json

import pytest

from helpers import measure
from helpers.experiments.bench import (
    FIELDS,
    Result,
    _rows,
    format_table,
    limit,
    main,
    report,
    run_cpu,
    run_io,
    targets,
)
from helpers.measure import Timed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("io", "sequential", 1, 40, 2), 1.0),
        (("io", "threads", 10, 40, 2), 10.0),
        (("io", "threads", 50, 40, 2), 40.0),
        (("cpu", "threads", 4, 8, 2), 1.0),
        (("cpu", "processes", 4, 8, 2), 2.0),
        (("cpu", "processes", 4, 3, 8), 3.0),
        (("cpu", "processes", 1, 8, 2), 1.0),
    ],
)
def test_limit(args, expected):
    assert limit(*args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("disk", "threads", 1, 1, 1),
        ("io", "fibers", 1, 1, 1),
        ("io", "threads", 0, 1, 1),
        ("cpu", "threads", 1, 1.5, 1),
        ("cpu", "threads", 1, 1, True),
    ],
)
def test_limit_rejects_bad_input(args):
    with pytest.raises(ValueError):
        limit(*args)


def test_tiny_run_has_the_schema(tmp_path, capsys):
    out = tmp_path / "bench.json"
    tiny = ["--io-tasks", "4", "--latency", "0.01", "--cpu-tasks", "2", "--cpu-size", "1000"]
    tiny += ["--repeats", "2"]
    assert main(["--out", str(out), *tiny]) == 0
    document = json.loads(out.read_text())
    assert set(document) == {"python", "cpus", "results"}
    assert isinstance(document["python"], str) and isinstance(document["cpus"], int)
    rows = document["results"]
    assert [(r["experiment"], r["way"], r["workers"]) for r in rows] == [
        ("io", "sequential", 1),
        ("io", "threads", 10),
        ("cpu", "sequential", 1),
        ("cpu", "threads", 2),
        ("cpu", "threads", 4),
        ("cpu", "processes", 2),
        ("cpu", "processes", 4),
    ]
    for r in rows:
        assert tuple(r) == FIELDS
        assert isinstance(r["workers"], int) and isinstance(r["tasks"], int)
        assert r["seconds"] > 0 and r["speedup"] > 0 and isinstance(r["limit"], float)
    assert rows[1]["limit"] == 4.0  # min(10 workers, 4 tasks)
    assert rows[0]["speedup"] == rows[2]["speedup"] == 1.0
    printed = capsys.readouterr().out
    assert "experiment way" in printed and "I/O pool of 10" in printed


def test_run_functions_and_table():
    rows = run_io(3, 0.0, workers=(2,)) + run_cpu(2, 1000, workers=(2,))[0]
    assert [r.tasks for r in rows] == [3, 3, 2, 2, 2]
    table = format_table(report(rows))
    assert len(table.splitlines()) == 2 + len(rows)


def test_targets_say_met_or_missed():
    rows = [
        Result("io", "threads", 10, 40, 0.4, 9.5, 10.0),
        Result("cpu", "processes", 2, 8, 2.0, 1.5, 2.0),
        Result("cpu", "threads", 2, 8, 3.0, 1.0, 1.0),
    ]
    lines = targets(rows)
    assert (
        lines[0].startswith("met") and lines[1].startswith("MISSED") and lines[2].startswith("met")
    )


def test_cpu_records_are_returned_with_the_rows():
    rows, records = run_cpu(2, 100_000, workers=(2,), repeats=2)
    assert [(r.way, r.workers) for r in rows] == [
        ("sequential", 1),
        ("threads", 2),
        ("processes", 2),
    ]
    assert sorted((r.way, r.workers, r.round) for r in records) == sorted(
        (way, w, n)
        for n in (0, 1)
        for way, w in (("sequential", 1), ("threads", 2), ("processes", 2))
    )
    assert all(r.cores_busy is not None and r.cores_busy >= 0 for r in records)
    best = {r.way: r.seconds for r in measure.best(records)}
    assert {r.way: r.seconds for r in rows} == best  # a row is its way's best round


def test_rows_take_the_median_speedup_of_paired_rounds():
    records = [
        Timed("sequential", 1, 1.0, round=0),
        Timed("processes", 2, 0.5, round=0),
        Timed("sequential", 1, 2.0, round=1),  # a burst of load slows both ways of round 1
        Timed("processes", 2, 1.0, round=1),
        Timed("sequential", 1, 1.0, round=2),
        Timed("processes", 2, 0.25, round=2),  # one lucky round
    ]
    rows = _rows("cpu", records, tasks=8, cores=2)
    assert [(r.way, r.seconds, r.speedup, r.limit) for r in rows] == [
        ("sequential", 1.0, 1.0, 1.0),
        ("processes", 0.25, 2.0, 2.0),
    ]


def test_repeats_must_be_positive():
    with pytest.raises(ValueError):
        run_cpu(2, 1000, repeats=0)


def test_report_rejects_other_rows():
    with pytest.raises(TypeError):
        report([{"experiment": "io"}])
