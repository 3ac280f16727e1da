import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from helpers.pools import mp_context
from helpers.timeline import Timeline
from helpers.workers import waits
from helpers.workers.spans import Recorded, Span, recorded


def test_thread_spans_and_rows():
    tl = Timeline()
    threads = [
        threading.Thread(target=tl.run, args=(f"task {i}", time.sleep, 0.02), name=f"w{i}")
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s.label for s in tl.spans) == ["task 0", "task 1", "task 2"]
    assert sorted(tl.workers()) == ["w0", "w1", "w2"]
    df = tl.to_dataframe()
    assert list(df.columns) == ["label", "worker", "thread", "pid", "start", "end", "duration"]
    assert (df["duration"] >= 0.02).all() and (df["start"] >= 0).all()


def test_recorded_travels_back_from_a_process():
    tl = Timeline()
    with ProcessPoolExecutor(max_workers=1, mp_context=mp_context()) as pool:
        item = pool.submit(recorded, "sleep", waits.wait_some_time, 0.01).result()
    assert isinstance(item, Recorded)
    assert tl.add(item) == 0.01
    assert tl.spans[0].pid != os.getpid()
    tl.add(Span("here", "MainThread", os.getpid(), tl.t0, tl.t0 + 0.1))
    assert tl.workers() == ["process 1", "process 2"] or tl.workers() == ["process 2", "process 1"]


def test_plot_has_one_row_per_worker():
    tl = Timeline()
    tl.add(Span("a", "w1", 1, tl.t0, tl.t0 + 1))
    tl.add(Span("b", "w2", 1, tl.t0 + 0.5, tl.t0 + 2))
    tl.add(Span("c", "w1", 1, tl.t0 + 1, tl.t0 + 2))
    fig = tl.plot("demo")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["w1", "w2"]
    assert len(ax.patches) == 3


def test_span_records_even_when_the_task_fails():
    tl = Timeline()
    with pytest.raises(ZeroDivisionError):
        tl.run("boom", lambda: 1 / 0)
    assert [s.label for s in tl.spans] == ["boom"]


def test_bad_input():
    tl = Timeline()
    with pytest.raises(ValueError):
        tl.plot()  # empty
    with pytest.raises(TypeError):
        tl.add("not a span")
    with pytest.raises(ValueError):
        Span("x", "t", 1, 2.0, 1.0)
    with pytest.raises(ValueError):
        recorded("", waits.wait_some_time, 0)
    with pytest.raises(TypeError):
        recorded("x", 42)
    with pytest.raises(ValueError):
        tl.add(Span("a", "w", 1, 0, 1)) or tl.plot(width=0)


def test_table_formats_times_for_the_sanitizer():
    tl = Timeline(t0=100.0)
    tl.add(Span("b", "w2", 1, 100.5, 101.0))
    tl.add(Span("a", "w1", 1, 100.0, 100.25))
    table = tl.table()
    assert table.to_dict("list") == {
        "label": ["a", "b"],
        "worker": ["w1", "w2"],
        "start": ["0.00s", "0.50s"],
        "end": ["0.25s", "1.00s"],
        "duration": ["0.25s", "0.50s"],
    }
