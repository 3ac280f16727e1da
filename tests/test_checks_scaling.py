from helpers.checks.scaling import check_amdahl
from helpers.experiments.scaling import amdahl


def test_right_answer_passes(capsys):
    assert check_amdahl(amdahl(8, 0.95), 20) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_wrong_answers_say_what_is_wrong(capsys):
    assert check_amdahl(8, 20) is False  # speedup = cores: the serial part forgotten
    out = capsys.readouterr().out
    assert "✗ not 8 on 8 cores" in out and "✓ on unlimited cores" in out
    assert check_amdahl(amdahl(8, 0.95), float("inf")) is False
    assert check_amdahl("5.93", True) is False  # not numbers: wrong, never an exception


def test_untouched_starter_is_not_answered(capsys):
    assert check_amdahl(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out
