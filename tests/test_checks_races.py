"""The checks of notebook 02's "Your turn" exercise: right, wrong, and not answered yet."""

import threading

from helpers.checks.races import check_no_updates_lost

ITERATIONS = 20_000
counter = 0
lock = threading.Lock()


def pause():
    pass


def add_safely():
    global counter
    for _ in range(ITERATIONS):
        with lock:
            value = counter
            pause()
            counter = value + 1


def add_unsafely():
    global counter
    for _ in range(ITERATIONS):
        value = counter
        pause()
        counter = value + 1


def not_done_yet():
    global counter
    ...


def test_right_answer(capsys):
    assert check_no_updates_lost(add_safely) is True
    assert "✓ counter: 80000 of 80000" in capsys.readouterr().out


def test_a_racy_adder_is_caught(capsys):
    assert check_no_updates_lost(add_unsafely) is False
    assert "updates lost" in capsys.readouterr().out


def test_untouched_starter_does_not_raise(capsys):
    assert check_no_updates_lost(...) is False
    assert check_no_updates_lost(not_done_yet) is False
    assert check_no_updates_lost(len) is False
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "still 0" in out and "no parentheses" in out


def test_errors_in_the_learners_code_do_not_raise(capsys):
    def broken():
        raise RuntimeError("oops")

    assert check_no_updates_lost(broken) is False
    assert "raised RuntimeError: oops" in capsys.readouterr().out
