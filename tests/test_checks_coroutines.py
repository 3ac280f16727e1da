from helpers.checks.coroutines import check_wait_and_cancel


def test_right_answer(capsys):
    assert check_wait_and_cancel([0.2, 0.1], 1) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answer_says_what_is_wrong(capsys):
    assert check_wait_and_cancel([0.1, 0.2, 0.6], 0) is False
    out = capsys.readouterr().out
    assert "✗ finished: [0.1, 0.2, 0.6]" in out and "✗ cancelled: 0" in out


def test_untouched_or_odd_answers_never_raise(capsys):
    assert check_wait_and_cancel(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_wait_and_cancel(3, "one") is False
    assert check_wait_and_cancel([None, 1], 1) is False
