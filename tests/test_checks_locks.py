"""The checks of notebook 03's "Your turn" exercises: right, wrong, and not answered yet."""

import threading

from helpers.checks.locks import check_latch, check_square_workers


def square_worker(numbers, squares):
    while (n := numbers.get()) is not None:
        squares.put((n, n * n))


def greedy_worker(numbers, squares):  # ignores the sentinel: takes a second one, then fails
    while True:
        n = numbers.get()
        if n is not None:
            squares.put((n, n * n))


class Latch:
    def __init__(self, count):
        self.count = count
        self.changed = threading.Condition()

    def count_down(self):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait(self, timeout=None):
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout)


class EagerLatch(Latch):
    def wait(self, timeout=None):
        return True


class DeafLatch(Latch):
    def count_down(self):
        with self.changed:
            self.count -= 1  # no notify_all(): the waiters sleep on until their timeout


class Untouched:
    def __init__(self, count):
        self.count = count

    def count_down(self): ...

    def wait(self, timeout=None): ...


def test_square_workers_right(capsys):
    assert check_square_workers(square_worker) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_square_workers_that_never_stop_are_caught_and_released(capsys, monkeypatch):
    monkeypatch.setattr("helpers.checks.locks.PATIENCE", 0.2)
    assert check_square_workers(greedy_worker) is False
    assert "did not stop" in capsys.readouterr().out


def test_square_workers_untouched_and_broken(capsys):
    assert check_square_workers(...) is False
    assert check_square_workers(lambda numbers, squares: None) is False
    assert check_square_workers(lambda numbers, squares: 1 / 0) is False
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "got 0 items" in out and "ZeroDivisionError" in out
    assert "returned with 8 numbers and 3 sentinels left in the queue" in out


def test_square_workers_that_stop_too_early_say_what_is_left(capsys):
    def one_and_done(numbers, squares):  # takes one number and returns: no loop
        n = numbers.get()
        squares.put((n, n * n))

    assert check_square_workers(one_and_done) is False
    assert "returned with 5 numbers and 3 sentinels left in the queue" in capsys.readouterr().out


def test_latch_right(capsys):
    assert check_latch(Latch) is True
    assert capsys.readouterr().out.count("✓") == 4


def test_latch_wrong(capsys):
    assert check_latch(EagerLatch) is False
    assert "went on before the count reached 0" in capsys.readouterr().out
    assert check_latch(DeafLatch) is False  # its waiters only wake at their timeout
    assert "call notify_all() there" in capsys.readouterr().out


def test_latch_untouched(capsys):
    assert check_latch(...) is False
    assert check_latch(Untouched) is False
    assert check_latch(Latch(2)) is False
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "not None" in out and "the class itself" in out
