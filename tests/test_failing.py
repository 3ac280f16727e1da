import _thread
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from helpers import pools
from helpers.demos import failures
from helpers.pools import mp_context
from helpers.workers import failing, per_process


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


def test_interrupt_after_presses_again_at_each_later_moment():
    caught = 0
    with failures.interrupt_after(0.05, 0.4):
        for _ in range(2):
            try:
                time.sleep(5)
            except KeyboardInterrupt:
                caught += 1
    assert caught == 2
    with pytest.raises(ValueError), failures.interrupt_after(0.1, -1):
        pass


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


# --- stopping pools on an interrupt (helpers.pools, helpers.workers.per_process) ---------------


def _signal_workers(pool: ProcessPoolExecutor) -> None:
    for process in list(pool._processes.values()):
        os.kill(process.pid, signal.SIGINT)


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGINT to another process on Windows")
@pytest.mark.parametrize(
    ("initializer", "outcome"),
    [(None, "KeyboardInterrupt"), (per_process.ignore_interrupts, "finished")],
)
def test_workers_ignore_sigint_only_with_the_initializer(initializer, outcome):
    with ProcessPoolExecutor(1, mp_context=mp_context(), initializer=initializer) as pool:
        pools.warm_up(pool, 1)
        future = pool.submit(failing.task, "A", 0.6)
        time.sleep(0.2)
        _signal_workers(pool)
        future.exception(timeout=10)  # wait for it to end
        assert failures.outcome(future) == outcome


def test_ignore_interrupts_chains_another_initializer(monkeypatch):
    calls = []
    monkeypatch.setattr(signal, "signal", lambda *args: calls.append(args))
    per_process.ignore_interrupts(per_process.load_table, 3)
    assert calls == [(signal.SIGINT, signal.SIG_IGN)]
    assert per_process.lookup(2)[0] == 4
    with pytest.raises(TypeError):
        per_process.ignore_interrupts("not callable")


@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_an_interrupt_at_the_end_of_the_block_ends_the_workers(method):
    pool = ProcessPoolExecutor(
        2, mp_context=multiprocessing.get_context(method), initializer=per_process.ignore_interrupts
    )
    futures = []
    with (
        pytest.raises(KeyboardInterrupt),
        failures.interrupt_after(0.3),
        pools.stopping_on_interrupt(pool),
    ):
        for i in range(6):
            futures.append(pool.submit(failing.task, f"P{i}", 3.0))
    assert not multiprocessing.active_children()
    assert all(f.done() and failures.outcome(f) != "finished" for f in futures)  # none ran 3 s


@pytest.mark.skipif(sys.platform == "win32", reason="terminate() does not ask on Windows")
@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_a_second_interrupt_while_the_workers_end_leaves_none_running(method):
    # the workers take 1 s to end after SIGTERM: the second interrupt, at 0.6 s, arrives then
    pool = ProcessPoolExecutor(
        2,
        mp_context=multiprocessing.get_context(method),
        initializer=per_process.ignore_interrupts,
        initargs=(per_process.slow_to_end, 1.0),
    )
    handler = signal.getsignal(signal.SIGINT)
    with (
        pytest.raises(KeyboardInterrupt),
        failures.interrupt_after(0.3, 0.6),
        pools.stopping_on_interrupt(pool),
    ):
        futures = [pool.submit(failing.task, f"P{i}", 3.0) for i in range(6)]
    assert not multiprocessing.active_children()
    assert all(f.done() and failures.outcome(f) != "finished" for f in futures)
    assert signal.getsignal(signal.SIGINT) is handler  # Interrupt works again


@pytest.mark.parametrize("way", pools.WAYS)
def test_an_interrupt_that_only_sets_the_flag_gets_through_the_final_wait(way):
    # Jupyter's Interrupt on Windows: no signal, a flag the main thread reads between two waits
    pool = pools.make_pool(way, 2)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    with pytest.raises(KeyboardInterrupt), pools.stopping_on_interrupt(pool):
        futures = [pool.submit(failing.task, f"T{i}", 1.0) for i in range(6)]
        timer.start()
    timer.join()
    pool.shutdown(wait=True)  # a thread pool's running tasks end by themselves
    outcomes = [failures.outcome(f) for f in futures]
    if way == "threads":  # the two running finish (threads cannot be stopped), the rest waited
        assert outcomes.count("cancelled") >= 2, outcomes
    else:  # the workers were ended: no task ran its 1 s (tasks on their way to a worker broke)
        assert "finished" not in outcomes, outcomes


def test_the_block_ends_at_once_when_its_workers_were_ended_inside_it():
    # as 10's kill_workers() cell: the pool keeps the cancelled tasks among its pending ones
    pool = ProcessPoolExecutor(1, mp_context=mp_context())
    with failures.interrupt_after(30):  # a hang becomes a KeyboardInterrupt, and a failure
        try:
            with pools.stopping_on_interrupt(pool):
                futures = [pool.submit(failing.task, f"P{i}", 5.0) for i in range(3)]
                time.sleep(0.3)
                pools.stop_now(pool)
        except KeyboardInterrupt:
            pytest.fail("the end of the block waited for the cancelled tasks")
    assert all(f.done() for f in futures)


def test_stop_now_does_not_wait_its_grace_for_cancelled_tasks():
    pool = pools.make_pool("processes", 1)
    futures = [pool.submit(failing.task, f"P{i}", 5.0) for i in range(4)]
    time.sleep(0.3)  # the first task running
    start = time.monotonic()
    pools.stop_now(pool, grace=60.0)  # waiting for a cancelled future would take all 60 s
    assert time.monotonic() - start < 30
    assert all(f.done() for f in futures)


def test_wait_for_the_work_checks_its_arguments():
    with pytest.raises(TypeError):
        pools.wait_for_the_work("pool")
    with pytest.raises(ValueError):
        pools.wait_for_the_work(ThreadPoolExecutor(1), every=0)


def test_interrupts_are_ignored_only_inside_the_block_and_only_in_the_main_thread():
    handler = signal.getsignal(signal.SIGINT)
    with pools.interrupts_ignored():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)  # dropped: no KeyboardInterrupt
    assert signal.getsignal(signal.SIGINT) is handler


def _handler_inside_the_block() -> object:
    with pools.interrupts_ignored():
        return signal.getsignal(signal.SIGINT)


def test_outside_the_main_thread_interrupts_ignored_changes_nothing():
    handler = signal.getsignal(signal.SIGINT)
    with ThreadPoolExecutor(1) as other:  # signal.signal() would raise ValueError there
        assert other.submit(_handler_inside_the_block).result() is handler


def test_slow_to_end_ends_a_terminated_worker_after_its_time(monkeypatch):
    handlers = {}
    monkeypatch.setattr(
        signal, "signal", lambda signum, handler: handlers.setdefault(signum, handler)
    )
    per_process.slow_to_end(0.5)
    slept, exits = [], []
    monkeypatch.setattr(time, "sleep", slept.append)
    monkeypatch.setattr(os, "_exit", exits.append)
    handlers[signal.SIGTERM](signal.SIGTERM, None)
    assert (slept, exits) == ([0.5], [128 + signal.SIGTERM])
    with pytest.raises(ValueError):
        per_process.slow_to_end(-1)


def test_a_pool_that_ends_normally_waits_for_its_work():
    with pools.stopping_on_interrupt(ThreadPoolExecutor(2)) as pool:
        futures = [pool.submit(failing.task, f"T{i}", 0.05) for i in range(4)]
    assert [f.result() for f in futures] == [f"T{i} finished" for i in range(4)]


def test_stop_now_cancels_a_thread_pools_queue():
    stop = threading.Event()
    pool = ThreadPoolExecutor(1)
    futures = [pool.submit(failing.task, f"T{i}", 5, stop=stop) for i in range(3)]
    pools.stop_now(pool)
    stop.set()
    assert [f.cancelled() for f in futures[1:]] == [True, True]
    pool.shutdown()


def test_stop_now_and_the_context_manager_reject_non_pools():
    with pytest.raises(TypeError):
        pools.stop_now("pool")
    with pytest.raises(TypeError), pools.stopping_on_interrupt(None):
        pass
    with pytest.raises(ValueError):
        pools.stop_now(ThreadPoolExecutor(1), grace=-1)
