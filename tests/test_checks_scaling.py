from helpers.checks.scaling import check_amdahl
from helpers.experiments.scaling import amdahl


def fewest_cores(p=0.95):
    limit = 1 / (1 - p)
    return next(n for n in range(1, 10_000) if amdahl(n, p) >= 0.9 * limit)


def test_right_answer_passes(capsys):
    assert check_amdahl(amdahl(8, 0.95), 20, 171) is True
    assert capsys.readouterr().out.count("✓") == 3
    assert check_amdahl(amdahl(8, 0.95), 1 / (1 - 0.95), fewest_cores()) is True
    assert check_amdahl(5.93, 20, 172) is True  # 171 reaches exactly 18: a float may say 172


def test_wrong_answers_say_what_is_wrong(capsys):
    assert check_amdahl(8, 20, 171) is False  # speedup = cores: the serial part forgotten
    out = capsys.readouterr().out
    assert "✗ not 8 on 8 cores" in out and "✓ on unlimited cores" in out
    assert check_amdahl(amdahl(8, 0.95), float("inf"), 171) is False
    assert check_amdahl(amdahl(8, 0.95), 20, 170) is False
    assert "✗ not 170 cores" in capsys.readouterr().out
    assert check_amdahl(amdahl(8, 0.95), 20, 173) is False
    assert check_amdahl(amdahl(8, 0.95), 20, 171.0) is False  # a count of cores is an int
    assert check_amdahl("5.93", True, "171") is False  # not numbers: wrong, never an exception


def test_untouched_starter_is_not_answered(capsys):
    assert check_amdahl(..., ..., ...) is False
    assert check_amdahl(5.93, 20, ...) is False
    assert capsys.readouterr().out.count("Not answered yet") == 2
