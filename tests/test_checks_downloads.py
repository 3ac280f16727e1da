"""The checks of notebook 08's "Your turn" exercise: right, wrong, and not answered yet."""

from helpers.checks.downloads import check_three_workers
from helpers.demos.notice_client import Fetched


def fetched(status: int) -> Fetched:
    return Fetched("FN-70001", status, 100, "http://127.0.0.1:1/notices/FN-70001.html")


def test_right_answer(capsys):
    assert check_three_workers([fetched(200)] * 12, 4, 3) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_wrong_answers_say_why(capsys):
    assert check_three_workers([fetched(200)] * 11 + [fetched(503)], 13, 12) is False
    out = capsys.readouterr().out
    assert out.count("✗") == 3 and "13 Sessions" in out and "saw 12" in out


def test_untouched_starter_does_not_raise(capsys):
    assert check_three_workers(..., 1, 0) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_odd_answers_do_not_raise(capsys):
    assert check_three_workers(42, "4", True) is False
    assert capsys.readouterr().out.count("✗") == 3
