"""Unit tests for helpers.threadkit."""

import threading
import time

import pytest

from helpers.threadkit import ConcurrencyMeter, run_threads, thread_errors_in_brief


def test_run_threads_names_args_and_joins():
    seen = {}
    lock = threading.Lock()

    def work(n):
        with lock:
            seen[threading.current_thread().name] = n

    run_threads(work, ["a", "b", "c"], args=[(1,), (2,), (3,)])
    assert seen == {"a": 1, "b": 2, "c": 3}
    assert not any(t.name in seen for t in threading.enumerate())


def test_run_threads_releases_all_at_once():
    meter = ConcurrencyMeter()

    def work():
        with meter:
            time.sleep(0.05)

    run_threads(work, ["x", "y", "z"])
    assert meter.peak == 3 and meter.current == 0


@pytest.mark.parametrize(
    ("target", "names", "args"),
    [
        (42, ["a"], None),
        (print, [], None),
        (print, "ab", None),
        (print, ["a", ""], None),
        (print, ["a", "b"], [()]),
        (print, ["a"], [[1]]),
    ],
)
def test_run_threads_validates(target, names, args):
    with pytest.raises((TypeError, ValueError)):
        run_threads(target, names, args=args)


def test_meter_counts_nesting_in_one_thread():
    meter = ConcurrencyMeter()
    with meter, meter:
        assert meter.current == 2
    assert (meter.current, meter.peak) == (0, 2)


def test_thread_errors_in_brief(capsys):
    previous = threading.excepthook

    def fail():
        raise ZeroDivisionError("division by zero")

    with thread_errors_in_brief() as errors:
        t = threading.Thread(target=fail, name="worker-3")
        t.start()
        t.join()
    assert threading.excepthook is previous
    assert capsys.readouterr().err == (
        "Exception in thread worker-3:\nZeroDivisionError: division by zero\n"
    )
    assert [(name, type(e)) for name, e in errors] == [("worker-3", ZeroDivisionError)]


def test_thread_errors_in_brief_ignores_system_exit(capsys):
    def leave():
        raise SystemExit

    with thread_errors_in_brief() as errors:
        t = threading.Thread(target=leave, name="quiet")
        t.start()
        t.join()
    assert errors == [] and capsys.readouterr().err == ""
