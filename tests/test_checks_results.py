"""The checks of notebook 04's "Your turn" exercise: right, wrong, and not answered yet."""

from helpers.checks.results import check_error_slots


def keeping_errors(results, i, a, b):
    try:
        results[i] = a / b
    except ZeroDivisionError as error:
        results[i] = error


def plain(results, i, a, b):
    results[i] = a / b


def untouched(results, i, a, b): ...


def test_right_answer(capsys):
    assert check_error_slots(keeping_errors) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_an_escaping_exception_is_reported_not_raised(capsys):
    assert check_error_slots(plain) is False
    out = capsys.readouterr().out
    assert "ZeroDivisionError escaped" in out and "slot 1 should hold" in out


def test_untouched_starter_does_not_raise(capsys):
    assert check_error_slots(...) is False
    assert check_error_slots(untouched) is False
    assert check_error_slots("f") is False
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "every slot is still None" in out
    assert "itself (no parentheses)" in out and "✓" not in out


def test_only_the_error_slot_missing(capsys):
    def results_only(results, i, a, b):
        if b:
            results[i] = a / b

    assert check_error_slots(results_only) is False
    out = capsys.readouterr().out
    assert out.count("✓") == 2
    assert "slot 1 should hold the ZeroDivisionError itself, not None" in out
