"""The checks of notebook 06's "Your turn" exercise: right, wrong, and not answered yet."""

from helpers.checks.maps import check_results_before_failure


def test_right_answer(capsys):
    error = ValueError("square(2) failed on purpose")
    assert check_results_before_failure([0, 1], error) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answers_say_why(capsys):
    assert check_results_before_failure([0, 1, 9, 16], None) is False  # None: not answered
    assert check_results_before_failure([0, 1, 9, 16], RuntimeError("x")) is False
    out = capsys.readouterr().out
    assert out.count("✗") == 2 and "[0, 1, 9, 16]" in out and "RuntimeError" in out


def test_untouched_starter_does_not_raise(capsys):
    assert check_results_before_failure(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_odd_answers_do_not_raise(capsys):
    assert check_results_before_failure("0, 1", 42) is False
    assert capsys.readouterr().out.count("✗") == 2
