from helpers.checks.gil import check_gil_status


def right(free_threaded, gil_enabled):
    if not free_threaded:
        return "standard build, GIL on"
    return "free-threaded, GIL re-enabled" if gil_enabled else "free-threaded, GIL off"


def test_right_answer_passes(capsys):
    assert check_gil_status(right) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_wrong_answers_say_which_case(capsys):
    assert check_gil_status(lambda free, on: "standard build, GIL on") is False
    out = capsys.readouterr().out
    assert "✗ free-threaded build True, GIL enabled False" in out
    assert check_gil_status(lambda free, on: 1 / 0) is False  # raises: said, never raised here
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check_gil_status("standard build, GIL on") is False  # not a function


def test_untouched_starter_is_not_answered(capsys):
    def starter(free_threaded_build, gil_enabled): ...

    assert check_gil_status(...) is False
    assert check_gil_status(starter) is False
    assert capsys.readouterr().out.count("Not answered yet") == 2
