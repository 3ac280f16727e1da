import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from helpers.demos import failures
from helpers.workers import failing


def test_task_finishes_or_fails():
    assert failing.task("A", 0) == "A finished"
    with pytest.raises(failing.TaskFailed, match="task B failed"):
        failing.task("B", 0, fail=True)
    with pytest.raises(failing.TaskFailed):
        failing.task("B", 0, True)  # positional, as Executor.map passes it


def test_task_stops_early_when_the_event_is_set():
    stop = threading.Event()
    stop.set()
    start = time.perf_counter()
    assert failing.task("A", 5, stop=stop) == "A stopped early"
    assert time.perf_counter() - start < 1


def test_task_without_a_stop_signal_runs_to_the_end():
    assert failing.task("A", 0.01, stop=threading.Event()) == "A finished"


@pytest.mark.parametrize(
    ("args", "error"),
    [(("", 0), ValueError), (("A", -1), ValueError), (("A", "1"), TypeError), ((1, 0), ValueError)],
)
def test_task_rejects_bad_input(args, error):
    with pytest.raises(error):
        failing.task(*args)


def test_task_failed_survives_pickling_from_a_process():
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(failing.task, "P", 0, fail=True)
        assert isinstance(future.exception(), failing.TaskFailed)
        assert str(future.exception()) == "task P failed"


def test_crash_breaks_a_process_pool():
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        assert isinstance(pool.submit(failing.crash).exception(), BrokenProcessPool)


@pytest.mark.parametrize(("args", "error"), [((-1,), ValueError), ((0, 1.5), TypeError)])
def test_crash_rejects_bad_input_without_exiting(args, error):
    with pytest.raises(error):
        failing.crash(*args)
    assert os.getpid()  # still alive


def _future(state: str) -> Future:
    future: Future = Future()
    if state == "cancelled":
        future.cancel()
    elif state == "running":
        future.set_running_or_notify_cancel()
    elif state == "error":
        future.set_exception(failing.TaskFailed("task X failed"))
    elif state == "stopped":
        future.set_result("X stopped early")
    elif state == "finished":
        future.set_result("X finished")
    return future


@pytest.mark.parametrize(
    ("state", "description", "outcome"),
    [
        ("pending", "pending", "pending"),
        ("running", "running", "running"),
        ("cancelled", "cancelled", "cancelled"),
        ("error", "raised TaskFailed: task X failed", "TaskFailed"),
        ("stopped", "returned 'X stopped early'", "stopped early"),
        ("finished", "returned 'X finished'", "finished"),
    ],
)
def test_describe_and_outcome(state, description, outcome):
    future = _future(state)
    assert failures.describe(future) == description
    assert failures.outcome(future) == outcome


def test_describe_rejects_non_futures():
    with pytest.raises(TypeError):
        failures.describe("not a future")
    with pytest.raises(TypeError):
        failures.outcome(None)


def test_interrupt_after_raises_keyboard_interrupt_in_the_main_thread():
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), failures.interrupt_after(0.05):
        time.sleep(5)
    assert time.perf_counter() - start < 2
    assert not [t for t in threading.enumerate() if t.name == "interrupter"]


def test_interrupt_after_is_cancelled_when_the_block_ends_first():
    with failures.interrupt_after(0.2):
        pass
    time.sleep(0.3)  # no KeyboardInterrupt arrives
    assert not [t for t in threading.enumerate() if t.name == "interrupter"]


def test_interrupt_after_needs_the_main_thread_and_valid_seconds():
    with pytest.raises(ValueError), failures.interrupt_after(-1):
        pass
    with ThreadPoolExecutor(1, thread_name_prefix="not-main") as pool:
        future = pool.submit(lambda: failures.interrupt_after(0.1).__enter__())
        with pytest.raises(RuntimeError, match="main thread"):
            future.result()
