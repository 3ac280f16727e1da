import multiprocessing
import os
import pickle
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import psutil
import pytest
from matplotlib.figure import Figure

from helpers import plots, pools
from helpers.experiments import start_methods
from helpers.workers import per_process, tiny, waits
from helpers.workers.spans import Span


def test_cube():
    assert tiny.cube(3) == 27
    with pytest.raises(TypeError):
        tiny.cube(1.5)


def test_cube_is_pickled_by_reference():
    assert b"helpers.workers.tiny" in pickle.dumps(tiny.cube)


@pytest.mark.parametrize(
    ("platform", "version", "expected"),
    [
        ("linux", (3, 11), "fork"),
        ("linux", (3, 13), "fork"),
        ("linux", (3, 14), "forkserver"),
        ("darwin", (3, 12), "spawn"),
        ("win32", (3, 14), "spawn"),
        ("freebsd14", (3, 14), "forkserver"),
    ],
)
def test_documented_default(platform, version, expected):
    assert start_methods.documented_default(platform, version) == expected


def test_documented_default_matches_this_interpreter():
    assert start_methods.documented_default() == multiprocessing.get_start_method()


@pytest.mark.parametrize(
    ("platform", "version"), [("", (3, 12)), ("linux", (3,)), ("linux", "3.12")]
)
def test_documented_default_rejects_bad_input(platform, version):
    with pytest.raises(ValueError):
        start_methods.documented_default(platform, version)


@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_pool_startup_seconds(method):
    assert 0 < start_methods.pool_startup_seconds(method, 1) < 60


@pytest.mark.parametrize(("method", "workers"), [("teleport", 1), ("spawn", 0), ("spawn", "2")])
def test_pool_startup_seconds_rejects_bad_input(method, workers):
    with pytest.raises((ValueError, TypeError)):
        start_methods.pool_startup_seconds(method, workers)


def test_bar_chart():
    fig = plots.bar_chart({"fork": 0.01, "spawn": 0.2}, "start-up")
    assert isinstance(fig, Figure)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["fork", "spawn"]
    with pytest.raises(ValueError):
        plots.bar_chart({}, "nothing")


def test_stderr_to_file_and_last_error_line(tmp_path):
    log = tmp_path / "child.txt"
    saved = sys.stderr
    try:
        per_process.stderr_to_file(str(log))
        print("Traceback (most recent call last):", file=sys.stderr)
        print(
            "AttributeError: Can't get attribute 'f' on <module '__main__' (built-in)>",
            file=sys.stderr,
        )
        sys.stderr.close()
    finally:
        sys.stderr = saved
    assert (
        start_methods.last_error_line(log)
        == "AttributeError: Can't get attribute 'f' on <module '__main__'>"
    )


def test_last_error_line_normalises_the_3_12_module_repr(tmp_path):
    log = tmp_path / "child.txt"
    log.write_text(
        "AttributeError: Can't get attribute 'f' on "
        "<module '__main__' (<class '_frozen_importlib.BuiltinImporter'>)>\n"
    )
    assert (
        start_methods.last_error_line(log)
        == "AttributeError: Can't get attribute 'f' on <module '__main__'>"
    )


def test_last_error_line_without_an_error(tmp_path):
    log = tmp_path / "child.txt"
    log.write_text("all fine\n")
    with pytest.raises(ValueError, match="no error line"):
        start_methods.last_error_line(log)
    with pytest.raises(ValueError):
        per_process.stderr_to_file("")


def test_stderr_to_file_as_a_pool_initializer(tmp_path):
    """A worker that does not fail writes nothing to the file."""
    log = tmp_path / "child.txt"
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=per_process.stderr_to_file, initargs=(str(log),)
    ) as pool:
        assert pool.submit(tiny.cube, 2).result() == 8
    assert not log.read_text()


def test_size_of_and_round_trip_seconds():
    assert tiny.size_of(b"abc") == 3
    with pytest.raises(TypeError):
        tiny.size_of("abc")
    with ThreadPoolExecutor(1, thread_name_prefix="test") as pool:
        assert start_methods.round_trip_seconds(pool, b"x" * 100, repeats=2) >= 0
        with pytest.raises(ValueError):
            start_methods.round_trip_seconds(pool, b"x", repeats=0)
    with pytest.raises(TypeError):
        start_methods.round_trip_seconds("pool", b"x")


def test_warm_pool_gives_every_worker_a_share():
    with pools.make_pool(
        "processes", 2, warm=True, context=multiprocessing.get_context("spawn")
    ) as pool:
        stamps = list(pool.map(tiny.stamped_cube, range(4), [0.2] * 4))
    assert [s.value for s in stamps] == [0, 1, 8, 27]
    assert len({s.pid for s in stamps}) == 2


def test_warm_pool_with_one_worker_and_bad_input():
    with pools.make_pool(
        "processes", 1, warm=True, context=multiprocessing.get_context("spawn")
    ) as pool:
        assert pool.submit(tiny.cube, 2).result() == 8
    with pytest.raises(TypeError):
        pools.make_pool("processes", 2, context="spawn")
    with pytest.raises(ValueError):
        pools.make_pool("processes", 0)


def test_make_pool_workers_ignore_interrupts_and_an_exception_ends_them_at_once():
    """What Kernel -> Interrupt does to a make_pool pool: SIGINT reaches the workers (Jupyter
    signals the whole process group) and must not kill them; the KeyboardInterrupt in the
    kernel leaves the with block, which must end the workers rather than wait for their work."""
    context = multiprocessing.get_context("spawn")
    with pools.make_pool("processes", 2, warm=True, context=context) as pool:
        pids = set(pool._processes)  # both workers (warm), as Jupyter's signal reaches them
        assert len(pids) == 2
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        assert pool.submit(tiny.cube, 3).result(timeout=30) == 27  # the workers survived
    one = pools.make_pool("processes", 1, warm=True, context=context)
    with pytest.raises(KeyboardInterrupt), one as pool:
        pid = pool.submit(per_process.pid_after_nap, 0.0).result(timeout=30)
        long_task = pool.submit(waits.wait_some_time, 60.0)
        raise KeyboardInterrupt
    # ended, not waited for: no result, the worker gone
    assert long_task.cancelled() or isinstance(long_task.exception(timeout=10), BrokenProcessPool)
    assert not psutil.pid_exists(pid)


def test_stamped_cube():
    stamp = tiny.stamped_cube(2, 0.01)
    assert stamp.value == 8
    assert stamp.pid == os.getpid()
    assert stamp.end - stamp.start >= 0.01
    with pytest.raises(ValueError):
        tiny.stamped_cube(2, -1)


def test_chunk_spans():
    stamps = [tiny.Stamp(i, 1 if i < 3 else 2, float(i), i + 0.5) for i in range(5)]
    spans = start_methods.chunk_spans(stamps, 3)
    assert spans == [Span("0-2", "MainThread", 1, 0.0, 2.5), Span("3-4", "MainThread", 2, 3.0, 4.5)]


def test_chunk_spans_rejects_chunks_from_several_processes_and_bad_sizes():
    stamps = [tiny.Stamp(i, i, float(i), float(i)) for i in range(2)]
    with pytest.raises(ValueError, match="several processes"):
        start_methods.chunk_spans(stamps, 2)
    with pytest.raises(ValueError):
        start_methods.chunk_spans(stamps, 0)


def test_chunks_from_a_real_pool():
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        stamps = list(pool.map(tiny.stamped_cube, range(20), [0.0] * 20, chunksize=5))
    assert [s.value for s in stamps] == [i**3 for i in range(20)]
    assert len(start_methods.chunk_spans(stamps, 5)) == 4


def test_initializer_loads_the_table_once_per_process():
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=per_process.load_table, initargs=(10,)
    ) as pool:
        answers = list(pool.map(per_process.lookup, range(5)))
    assert [value for value, _, _ in answers] == [i * i for i in range(5)]
    assert {loads for _, _, loads in answers} == {1}
    assert len({pid for _, pid, _ in answers}) == 1


def test_lookup_needs_the_initializer_and_load_table_validates(monkeypatch):
    monkeypatch.setattr(per_process, "_table", {})
    with pytest.raises(RuntimeError, match="initializer"):
        per_process.lookup(1)
    with pytest.raises(ValueError):
        per_process.load_table(0)
    with pytest.raises(TypeError):
        per_process.load_table(10, "1")


@pytest.mark.parametrize(
    "line",
    [
        "AttributeError: Can't get attribute 'cube' on <module '__main__' (built-in)>",
        "AttributeError: Can't get attribute 'cube' on <module '__main__'>",
        "AttributeError: module '__main__' has no attribute 'cube'",
    ],
)
def test_missing_attribute_reads_every_wording(line):
    assert start_methods.missing_attribute(line) == ("__main__", "cube")


def test_missing_attribute_of_other_errors_is_none():
    assert start_methods.missing_attribute("ValueError: nope") is None
    with pytest.raises(TypeError):
        start_methods.missing_attribute(None)
