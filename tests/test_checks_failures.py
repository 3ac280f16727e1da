from helpers.checks.failures import check_outcomes


def test_every_outcome_in_completion_order_is_right(capsys):
    assert check_outcomes(["P finished", "Q: task Q failed", "R finished"]) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_a_lost_failure_is_wrong(capsys):
    assert check_outcomes(["P finished", "R finished"]) is False
    assert "Q's failure is missing" in capsys.readouterr().out


def test_submission_order_is_not_completion_order(capsys):
    assert check_outcomes(["R finished", "Q: task Q failed", "P finished"]) is False
    assert "✗ order" in capsys.readouterr().out


def test_untouched_or_odd_answers_never_raise(capsys):
    assert check_outcomes(...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_outcomes(42) is False
    assert check_outcomes([1, 2, 3]) is False
