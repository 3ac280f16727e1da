"""The checks of issues 10.4, 10.5 and 14.2 in tests/tools: each can find what it looks for."""

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
access_denied = importlib.import_module("access_denied")
cpu_quota = importlib.import_module("cpu_quota")
survive = importlib.import_module("survive")


def write_notebook(path: Path, cells: list[tuple[str, list[str]]]) -> Path:
    nb = {
        "cells": [
            {"cell_type": "code", "source": source, "metadata": {"tags": tags}, "outputs": []}
            for source, tags in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path


def test_cells_that_start_things_are_found_by_their_code():
    names = survive.names_from_story_modules(
        ["from helpers.experiments.gil import compare as cmp, table\nfrom helpers import plots"]
    )
    assert names == {"cmp", "table"}
    assert survive.starts_something("with ThreadPoolExecutor(4) as pool: ...", set())
    assert survive.starts_something("t = threading.Thread(target=f)", set())
    assert survive.starts_something("with NoticeServer(8) as server: ...", set())
    assert survive.starts_something("result = cmp(4)", names)
    assert not survive.starts_something("print(table_of_contents)", names)
    assert not survive.starts_something("x = 1 + 1", names)


def test_a_cell_that_only_imports_starters_is_not_interrupted():
    setup = (
        "from helpers.pools import make_pool\nfrom dask.distributed import (\n    LocalCluster,\n)"
    )
    assert not survive.starts_something(setup, set())
    assert survive.starts_something(setup + "\npool = make_pool('threads', 2)", set())
    assert survive.starts_something("%time t = Thread(target=f)", set())  # magics: whole source


def test_a_cell_that_defines_a_starter_is_not_interrupted_but_one_that_calls_it_is():
    definition = "\n".join(
        [
            "@contextmanager",
            "def process_pool(n):",
            "    with ProcessPoolExecutor(n) as p:",
            "        yield p",
        ]
    )
    wrapper = "def two():\n    return process_pool(2)"
    names = survive.starter_definitions([definition, wrapper, "def plain():\n    return 1"], set())
    assert names == {"process_pool", "two"}
    assert not survive.starts_something(definition, names)
    assert survive.starts_something("with process_pool(2) as pool:\n    pass", names)
    assert survive.starts_something("pool = two()", names)
    assert not survive.starts_something("plain()", names)
    # handed on as a callback, it still runs: 17's widget calls `show` at once
    assert survive.starts_something("out = widgets.interactive_output(show, c)", {"show"})
    assert not survive.starts_something("show = 3", {"show"})  # assigned, not used


def test_what_runs_at_definition_counts_and_words_do_not():
    decorated = "@run_in(Thread(target=f))\ndef g():\n    return 1"
    assert survive.starts_something(decorated, set())  # a decorator runs when g is defined
    annotated = 'def index(server: NoticeServer):\n    """Uses a NoticeServer."""\n    return 1'
    assert survive.starter_definitions([annotated], set()) == set()
    script = "%%writefile job.py\nfrom concurrent.futures import ProcessPoolExecutor\n"
    assert not survive.starts_something(script + "ProcessPoolExecutor(2)", set())
    names = survive.names_from_story_modules(["from helpers.demos.chess import (\n  play,\n)"])
    assert names == {"play"}
    # A settings record starts nothing (16's Setup builds one); the server it configures does.
    imported = "from helpers.demos.notice_server import Chaos, NoticeServer"
    assert survive.names_from_story_modules([imported]) == {"NoticeServer"}


def test_survive_finds_a_leftover_thread_and_a_cell_that_fails_when_run_again(tmp_path):
    nb = write_notebook(
        tmp_path / "01_x.ipynb",
        [
            ("import threading, time\ny = 1", []),
            # A thread that outlives the interrupted cell (not joined): a leftover.
            (
                "stop = threading.Event()\n"
                "t = threading.Thread(target=stop.wait, args=(20,), name='left-behind')\n"
                "t.start()\ntime.sleep(3)\nstop.set()\nt.join()",
                [],
            ),
            ("del y", []),  # fine once, NameError the second time
            ("1 / 0", ["raises-exception"]),  # expected to raise both times: fine
        ],
    )
    args = argparse.Namespace(
        interrupt_after=0.3, answer_within=5.0, grace=0.5, slow=10.0, interrupt=True, rerun=True
    )
    report = survive.survive(nb, args, tmp_path)
    [interrupted] = report.interrupted
    assert interrupted.cell == 2
    assert interrupted.reply == "KeyboardInterrupt"
    assert interrupted.in_time
    assert [x for x in interrupted.leftovers if "left-behind" in x] == ["thread left-behind"]
    assert report.rerun_failures == [
        "cell 3 (del y): second run NameError: name 'y' is not defined"
    ]
    assert report.first_run_errors == []
    assert report.problems == 2


def test_survive_finds_the_import_lock_left_held(tmp_path):
    # What an interrupt inside importlib can do (just after it took the lock, before the code that
    # releases it): the kernel answers, but other threads' first imports would wait forever.
    nb = write_notebook(
        tmp_path / "01_x.ipynb",
        [
            ("import _imp, threading, time", []),
            ("unused = threading.Thread(target=print)\n_imp.acquire_lock()\ntime.sleep(3)", []),
        ],
    )
    args = argparse.Namespace(
        interrupt_after=0.3, answer_within=5.0, grace=0.5, slow=10.0, interrupt=True, rerun=False
    )
    report = survive.survive(nb, args, tmp_path)
    [interrupted] = report.interrupted
    assert interrupted.reply == "KeyboardInterrupt"
    assert interrupted.import_lock_held
    assert interrupted.where.startswith("Cell In[")  # the cell's own line: the sleep
    assert report.problems == 1


def test_survive_asks_again_when_an_interrupt_garbled_the_replies(tmp_path):
    # What an interrupt inside ipykernel's send_multipart of the cell's reply does: the first
    # frames stay queued and the next reply's frames join them, so the client gets one message
    # that fails its signature. Both replies are lost; the kernel still answers a new request.
    cut_short = (  # once: the uninterrupted run after it must get its reply
        "garbled_once = False\n"
        "def cut_short(parts, *args, **kwargs):\n"
        "    global garbled_once\n"
        "    garbled_once = True\n"
        "    del sock.send_multipart\n"
        "    for part in parts[:3]:\n"
        "        sock.send(part, zmq.SNDMORE)\n"
        "    raise KeyboardInterrupt\n"
    )
    nb = write_notebook(
        tmp_path / "01_x.ipynb",
        [
            (
                "import threading, time, zmq\n"
                "manager = get_ipython().kernel.shell_channel_thread.manager\n"
                "sock = manager.get_subshell_to_shell_channel_socket(None)\n" + cut_short,
                [],
            ),
            (
                "unused = threading.Thread(target=print)\n"
                "if not garbled_once:\n"
                "    sock.send_multipart = cut_short\n"
                "time.sleep(3)",
                [],
            ),
        ],
    )
    args = argparse.Namespace(
        interrupt_after=0.3, answer_within=5.0, grace=0.5, slow=10.0, interrupt=True, rerun=False
    )
    report = survive.survive(nb, args, tmp_path)
    [interrupted] = report.interrupted
    assert interrupted.reply == survive.GARBLED
    assert interrupted.in_time
    assert report.problems == 0


def test_the_sitecustomize_denies_other_processes_only_where_asked(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(access_denied.SITECUSTOMIZE)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop(access_denied.FLAG, None)

    def probe(extra: dict[str, str]) -> str:
        return subprocess.run(
            [sys.executable, "-c", access_denied.PROBE],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert probe({}) == "own=True other=allowed patched=False"  # pytest's side: untouched
    assert probe({access_denied.FLAG: "1"}) == "own=True other=denied patched=True"


@pytest.mark.skipif(
    os.geteuid() != 0 or not (cpu_quota.CPU_V1 / "cpu.cfs_quota_us").exists(),
    reason="needs root and cgroup v1's cpu controller",
)
def test_the_quota_cgroup_limits_and_is_removed_with_a_process_still_in_it():
    group = cpu_quota.make_cgroup(1.0)
    try:
        assert (group / "cpu.cfs_quota_us").read_text().strip() == str(cpu_quota.PERIOD_US)
        child = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(30)"],
            preexec_fn=cpu_quota.inside(group),
        )
        try:
            deadline = time.monotonic() + 5
            while str(child.pid) not in (group / "cgroup.procs").read_text().split():
                assert time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            cpu_quota.remove_cgroup(group)
            child.kill()
            child.wait()
    finally:
        if group.exists():
            cpu_quota.remove_cgroup(group)
    assert not group.exists()
