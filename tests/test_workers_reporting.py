import logging
import queue

import pytest

from helpers.workers import reporting


def test_noisy_square_prints_and_returns(capsys):
    assert reporting.noisy_square(7) == 49
    assert capsys.readouterr().out == "working on 7\n"
    with pytest.raises(TypeError):
        reporting.noisy_square("7")


def test_logged_square_goes_to_the_forwarding_queue():
    records = queue.Queue()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        reporting.forward_logs(records)
        assert reporting.logged_square(3) == 9
        record = records.get_nowait()
        assert record.name == reporting.LOGGER_NAME and "square of 3" in record.getMessage()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    with pytest.raises(TypeError):
        reporting.forward_logs("not a queue")
