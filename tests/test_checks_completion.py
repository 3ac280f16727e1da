"""The checks of notebook 07's "Your turn" exercise: right, wrong, and not answered yet."""

from helpers.checks.completion import check_failures_and_sum


def test_right_answer_in_any_order(capsys):
    assert check_failures_and_sum([4, 1], 38) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answers_say_why(capsys):
    assert check_failures_and_sum([], 0) is False
    out = capsys.readouterr().out
    assert out.count("✗") == 2 and "not []" in out and "total is still 0" in out
    assert check_failures_and_sum([1, 4], 55) is False
    out = capsys.readouterr().out
    assert "total is 55, not the sum of the squares that succeeded" in out


def test_a_wrong_total_does_not_give_the_answer_away(capsys):
    for total in (0, 55, 37, "38"):
        check_failures_and_sum([1, 4], total)
        out = capsys.readouterr().out
        assert "38" not in out.replace("'38'", ""), out


def test_untouched_starter_does_not_raise(capsys):
    assert check_failures_and_sum(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_odd_answers_do_not_raise(capsys):
    assert check_failures_and_sum(42, "38") is False
    assert check_failures_and_sum([1, "4"], True) is False
    assert capsys.readouterr().out.count("✗") == 4
