"""What a cell left running: multiprocessing's services excepted, unreadable children counted."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import psutil

from helpers import leaks


class _Child:
    def __init__(self, pid, cmdline=None, error=None):
        self.pid, self._cmdline, self._error = pid, cmdline or [], error

    def cmdline(self):
        if self._error:
            raise self._error
        return self._cmdline


def test_a_child_whose_command_line_is_denied_counts_as_left():
    denied = _Child(12345, error=psutil.AccessDenied(12345))
    assert leaks.non_service_children([denied]) == [denied]


def test_own_services_are_known_by_pid_even_when_denied(monkeypatch):
    monkeypatch.setattr(leaks, "service_pids", lambda: {4242})
    tracker = _Child(4242, error=psutil.AccessDenied(4242))
    assert leaks.non_service_children([tracker]) == []


def test_service_pids_finds_the_resource_tracker_after_a_spawn_pool():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(abs, -1).result() == 1
    pids = leaks.service_pids()
    assert pids, "a spawn pool starts the resource tracker"
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    assert pids <= children | {None}
    assert leaks.leftover_processes() == 0
