"""The checks of notebook 00's "Your turn" exercises: right, wrong, and not answered yet."""

from helpers.checks.chess import check_exhibition_limits


def test_right_answers(capsys):
    assert check_exhibition_limits(13, 12) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answers_say_why(capsys):
    assert check_exhibition_limits(12, 24) is False
    out = capsys.readouterr().out
    assert out.count("✗") == 2 and "not 12" in out and "not 24" in out


def test_untouched_starter_does_not_raise(capsys):
    assert check_exhibition_limits(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_odd_answers_do_not_raise(capsys):
    assert check_exhibition_limits("13", "12x") is False
    assert capsys.readouterr().out.count("✗") == 2
