import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers.plots import mark_times
from helpers.threadkit import CallCounter, thread_names, wait_for
from helpers.timing import Stopwatch
from helpers.workers.waits import returns_after, square


def test_returns_after_sleeps_then_returns_the_value():
    with Stopwatch() as sw:
        assert returns_after(0.05, ("a", 1)) == ("a", 1)
    assert sw.elapsed >= 0.05


@pytest.mark.parametrize(
    ("bad", "error"),
    [(-1, ValueError), (float("nan"), ValueError), ("1", TypeError), (True, TypeError)],
)
def test_returns_after_rejects_bad_seconds(bad, error):
    with pytest.raises(error):
        returns_after(bad, None)


def test_square_and_its_failures():
    assert square(4) == 16
    assert square(3, fail_on={1, 2}) == 9
    with pytest.raises(ValueError, match=r"^square\(3\) failed on purpose$"):
        square(3, fail_on={3})
    with pytest.raises(TypeError):
        square(2.0)
    with pytest.raises(ValueError):
        square(2, seconds=-1)


def test_wait_for_blocks_until_the_gate_opens():
    gate, started = threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(wait_for, gate, "value", started=started)
        assert started.wait(5)
        assert future.running()
        gate.set()
        assert future.result(timeout=5) == "value"


def test_wait_for_gives_up_after_its_timeout():
    with pytest.raises(TimeoutError, match="not opened"):
        wait_for(threading.Event(), None, timeout=0.01)


def test_wait_for_rejects_bad_input():
    with pytest.raises(TypeError):
        wait_for("gate", 1)
    with pytest.raises(TypeError):
        wait_for(threading.Event(), 1, started="started")
    with pytest.raises(ValueError):
        wait_for(threading.Event(), 1, timeout=-1)


def test_thread_names_filters_live_threads_by_prefix():
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="ttest") as pool:
        futures = [pool.submit(wait_for, gate, i) for i in range(2)]
        assert thread_names("ttest") == ["ttest_0", "ttest_1"]
        gate.set()
    assert [f.result() for f in futures] == [0, 1]
    assert thread_names("ttest") == []
    with pytest.raises(ValueError):
        thread_names("")


def test_call_counter_counts_calls_and_errors_across_threads():
    counted = CallCounter(square)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(counted, n, fail_on={3, 5}) for n in range(8)]
    assert counted.calls == 8
    assert sorted(str(e) for e in counted.errors) == [
        "square(3) failed on purpose",
        "square(5) failed on purpose",
    ]
    assert [f.exception() is None for f in futures].count(False) == 2
    with pytest.raises(TypeError):
        CallCounter(42)


def test_mark_times_draws_one_line_per_time_and_one_legend_entry():
    from helpers.timeline import Timeline
    from helpers.workers.spans import Span

    tl = Timeline(t0=10.0)
    tl.add(Span("a", "w1", 1, 10.0, 11.0))
    fig = mark_times(tl.plot("demo"), [10.5, 11.0], t0=tl.t0, label="got result")
    ax = fig.axes[0]
    assert sorted(line.get_xdata()[0] for line in ax.get_lines()) == [0.5, 1.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["got result"]
    with pytest.raises(ValueError):
        mark_times(fig, [], t0=0.0, label="x")
    with pytest.raises(ValueError):
        mark_times(fig, [1.0], t0=0.0, label="")


def test_mark_times_needs_a_figure_with_axes():
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="no axes"):
        mark_times(Figure(), [1.0], t0=0.0, label="x")
