"""The checks of notebook 05's "Your turn" exercise: right, wrong, and not answered yet."""

from helpers.checks.futures import check_cancelled


def test_right_answer(capsys):
    assert check_cancelled([False, True, True, True], 1) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answers_say_why(capsys):
    assert check_cancelled([False, False, True, True], 2) is False
    out = capsys.readouterr().out
    assert out.count("✗") == 2 and "[False, False, True, True]" in out and "not 2" in out


def test_untouched_starter_does_not_raise(capsys):
    assert check_cancelled(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_odd_answers_do_not_raise(capsys):
    assert check_cancelled("yes", True) is False
    assert capsys.readouterr().out.count("✗") == 2
