"""The checks of notebook 01's "Your turn" exercises: right, wrong, and not answered yet."""

import threading
import time

from helpers.checks.threads import check_collect_names


def collect_names(names):
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(threading.current_thread().name), name=n)
        for n in names
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def test_right_answer(capsys):
    assert check_collect_names(collect_names) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_no_threads_at_all_is_caught(capsys):
    assert check_collect_names(lambda names: list(names)) is False
    out = capsys.readouterr().out
    assert out.count("✓") == 1 and "threads that ran: []" in out and "no thread to join" in out


def test_threads_not_joined_are_caught(capsys):
    def no_join(names):
        for n in names:
            threading.Thread(target=time.sleep, args=(0.3,), name=n).start()
        return list(names)

    assert check_collect_names(no_join) is False
    assert "join() every thread" in capsys.readouterr().out
    time.sleep(0.4)


def test_untouched_starter_and_errors_do_not_raise(capsys):
    assert check_collect_names(...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_collect_names(42) is False
    assert check_collect_names(lambda names: 1 / 0) is False
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_the_previous_trace_function_is_restored():
    before = threading.gettrace() if hasattr(threading, "gettrace") else None
    check_collect_names(collect_names)
    after = threading.gettrace() if hasattr(threading, "gettrace") else None
    assert after is before
