import pytest

from helpers.workers import waits


def test_wait_some_time_returns_its_argument():
    assert waits.wait_some_time(0) == 0


@pytest.mark.parametrize(("bad", "error"), [(-1, ValueError), ("1", TypeError), (True, TypeError)])
def test_wait_some_time_rejects_bad_input(bad, error):
    with pytest.raises(error):
        waits.wait_some_time(bad)
