"""Stored figures must not contradict physics (issue 10.3).

Notebooks 09 and 14 print each measured speedup as a machine-readable line,
``speedup 4 processes: 1.93x on 2 usable cores``. A stored run made while the machine was busy
can show the impossible -- more speedup than there are usable cores, or threads beating
sequential code on pure-Python CPU work (the GIL lets one thread run at a time) -- and a
learner reading the notebook on GitHub would see the lesson contradicted. This test reads the
stored outputs and fails on such a line; regenerate the notebook on a quiet machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LINE = re.compile(r"^speedup (\d+) (threads|processes): (\d+\.\d+)x on (\d+) usable cores?$", re.M)
TOLERANCE = 1.1  # 10% for measuring error: rounds are paired, but not perfectly


def stored_text(notebook: Path) -> str:
    """Everything the stored code cells printed or displayed as text."""
    cells = json.loads(notebook.read_text())["cells"]
    parts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            parts.append("".join(text))
    return "\n".join(parts)


def speedups(text: str) -> list[tuple[int, str, float, int]]:
    """``(workers, way, speedup, usable cores)`` of every speedup line in ``text``."""
    return [(int(w), way, float(s), int(c)) for w, way, s, c in LINE.findall(text)]


def contradictions(found: list[tuple[int, str, float, int]]) -> list[str]:
    """The lines that physics forbids, in words."""
    wrong = []
    for workers, way, speedup, cores in found:
        if way == "threads" and speedup > TOLERANCE:
            wrong.append(f"{workers} threads beat sequential CPU work: {speedup:.2f}x")
        cap = min(workers, cores)
        if way == "processes" and speedup > TOLERANCE * cap:
            wrong.append(f"{workers} processes: {speedup:.2f}x on {cores} usable cores")
    return wrong


@pytest.mark.parametrize("name", ["09_threads_vs_processes", "14_scaling_up_and_out"])
def test_stored_speedups_respect_the_usable_cores(name):
    found = speedups(stored_text(NOTEBOOKS / f"{name}.ipynb"))
    assert found, f"{name} stores no 'speedup N way: S.SSx on C usable cores' line"
    assert not contradictions(found), (
        f"{name}: regenerate on a quiet machine: {contradictions(found)}"
    )


def test_contradictions_are_caught():
    text = (
        "speedup 4 processes: 2.40x on 2 usable cores\n"
        "speedup 2 processes: 1.93x on 2 usable cores\n"
        "speedup 4 threads: 1.25x on 2 usable cores\n"
        "speedup 1 threads: 0.98x on 2 usable cores\n"
        "speedup 4 processes: 1.50x on 1 usable core\n"
        "speedup 2 processes: 2.10x on 16 usable cores\n"
    )
    found = speedups(text)
    assert len(found) == 6
    assert contradictions(found) == [
        "4 processes: 2.40x on 2 usable cores",
        "4 threads beat sequential CPU work: 1.25x",
        "4 processes: 1.50x on 1 usable cores",
    ]


HASHING = re.compile(r"^sha256 in (\d+) threads: (\d+\.\d+) cores busy", re.M)


def test_stored_hashing_threads_ran_in_parallel():
    """09's lesson: C code that releases the GIL keeps more than one core busy in threads --
    on a machine with several usable cores that other programs left free."""
    text = stored_text(NOTEBOOKS / "09_threads_vs_processes.ipynb")
    hashing, found = HASHING.findall(text), speedups(text)
    assert hashing and found, "09 stores no sha256 cores-busy line or no speedup line"
    cores = found[0][3]
    busy = float(hashing[0][1])
    assert cores < 2 or busy > 1.1, f"sha256 threads kept {busy} cores busy: regenerate when quiet"


# The plain code of 09 and 13 times each way once, in a kernel with the GIL on: a stored run where
# the thread pool beat the sequential loop on pure-Python work (by more than measuring error) was
# disturbed. 13 says which kernel it ran in; it must have been one with the GIL.
PLAIN = {
    "09_threads_vs_processes": (
        re.compile(r"^sequential (\d+\.\d+)s, \d+ threads (\d+\.\d+)s, \d+ processes", re.M),
        None,
    ),
    "13_gil_free_threading_subinterpreters": (
        re.compile(r"^sequential (\d+\.\d+)s, threads (\d+\.\d+)s, processes", re.M),
        "GIL enabled: True",
    ),
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_stored_plain_code_does_not_show_threads_beating_sequential(name):
    line, gil_on = PLAIN[name]
    text = stored_text(NOTEBOOKS / f"{name}.ipynb")
    if gil_on is not None:
        assert gil_on in text, f"{name} was stored from a kernel without the GIL"
    found = line.findall(text)
    assert found, f"{name} stores no 'sequential S.SSs, ... threads T.TTs, ...' line"
    for sequential, threads in found:
        assert float(threads) * TOLERANCE >= float(sequential), (
            f"{name}'s plain code shows threads {threads}s beating sequential {sequential}s: "
            "regenerate on a quiet machine"
        )


TIMELINE = re.compile(r"^(sequential|threads): (\d+\.\d+)s$", re.M)


def test_stored_timelines_of_09_do_not_show_threads_beating_sequential():
    """09's timelines are single runs too: the thread pool's makespan cannot beat the
    sequential one on pure-Python work by more than measuring error."""
    lines = TIMELINE.findall(stored_text(NOTEBOOKS / "09_threads_vs_processes.ipynb"))
    found = dict(lines)
    assert len(lines) == 2 and set(found) == {"sequential", "threads"}, f"09's lines: {lines}"
    assert float(found["threads"]) * TOLERANCE >= float(found["sequential"]), (
        f"09's timelines show threads {found['threads']}s beating sequential "
        f"{found['sequential']}s: regenerate on a quiet machine"
    )
