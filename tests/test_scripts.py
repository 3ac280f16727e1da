import pytest

from helpers.scripts import run_python


def test_returns_stdout():
    assert run_python("print(6 * 7)") == "42\n"


def test_failure_shows_stderr():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_python("1 / 0")


@pytest.mark.parametrize(("source", "timeout"), [("", 1), ("   ", 1), (None, 1), ("pass", 0)])
def test_bad_arguments(source, timeout):
    with pytest.raises(ValueError):
        run_python(source, timeout=timeout)
