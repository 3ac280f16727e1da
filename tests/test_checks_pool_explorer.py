"""The check of notebook 17's "Your turn" exercise: right, wrong, and not answered yet."""

import math

from helpers.checks.pool_explorer import check_best_time


def right(tasks, workers, seconds, limit):
    return math.ceil(tasks / min(workers, limit)) * seconds


def forgets_the_server(tasks, workers, seconds, limit):
    return math.ceil(tasks / workers) * seconds


def forgets_the_rounds(tasks, workers, seconds, limit):
    return tasks / min(workers, limit) * seconds


def starter(tasks, workers, seconds, limit):
    return ...


def raises(tasks, workers, seconds, limit):
    raise ZeroDivisionError("oops")


def test_right_answer(capsys):
    assert check_best_time(right) is True
    out = capsys.readouterr().out
    assert out.count("✓") == 4 and "✗" not in out
    assert "10 tasks of 0.2 s, 4 workers, server limit 3: 0.8 s" in out


def test_wrong_answers_say_what_is_wrong(capsys):
    assert check_best_time(forgets_the_server) is False
    out = capsys.readouterr().out
    assert "✗ 10 tasks of 0.2 s, 4 workers, server limit 3: not 0.6000000000000001" in out
    assert check_best_time(forgets_the_rounds) is False
    assert "whole rounds" in capsys.readouterr().out


def test_untouched_starter_and_errors_never_raise(capsys):
    assert check_best_time(...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_best_time(starter) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_best_time(raises) is False
    assert "your code raised ZeroDivisionError: oops" in capsys.readouterr().out
    assert check_best_time(42) is False
    assert "pass the function best_time itself" in capsys.readouterr().out
