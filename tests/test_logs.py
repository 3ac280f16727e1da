import logging
import re
import threading

import pytest

from helpers.logs import setup_logging


def test_lines_show_relative_time_and_thread(capsys):
    log = setup_logging()
    log.info("hello")
    t = threading.Thread(target=log.info, args=("from worker",), name="worker-1")
    t.start()
    t.join()
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"\+0\.\d\ds \[MainThread\] hello", lines[0])
    assert re.fullmatch(r"\+\d\.\d\ds \[worker-1\] from worker", lines[1])


def test_show_process_adds_pid(capsys):
    import os

    setup_logging(show_process=True).info("x")
    assert f"[pid {os.getpid()} MainThread] x" in capsys.readouterr().err


def test_setup_is_idempotent(capsys):
    setup_logging()
    log = setup_logging()
    log.info("once")
    assert capsys.readouterr().err.count("once") == 1


def test_level_filters(capsys):
    log = setup_logging(level=logging.WARNING)
    log.info("hidden")
    log.warning("shown")
    err = capsys.readouterr().err
    assert "hidden" not in err and "shown" in err


@pytest.mark.parametrize("kwargs", [{"level": "INFO"}, {"level": -1}, {"show_process": "yes"}])
def test_bad_arguments(kwargs):
    with pytest.raises((TypeError, ValueError)):
        setup_logging(**kwargs)
