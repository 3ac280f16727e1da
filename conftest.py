"""Shared pytest setup: after each notebook ran under nbval, check that it left nothing running.

A notebook that ends with a thread, process or server still running works once and then
confuses the next cell, the next notebook, or a learner's laptop. So after the LAST cell of each
notebook (while nbval's kernel is still up) this checks, against a baseline taken before its
first cell:

- non-daemon threads in the kernel (``threading.enumerate()``, asked through the kernel client),
  except the workers of the kernel's event loop's default executor (asyncio_N), which asyncio
  keeps for reuse while the loop lives;
- child processes of the kernel (psutil, recursively), except multiprocessing's own resource
  tracker and forkserver processes, which the standard library keeps for the kernel's lifetime
  (the rule of :mod:`helpers.leaks`, which notebooks use too);
- listening TCP sockets held by the kernel (psutil), beyond the kernel's own ZMQ ports.

A leak fails the last cell's teardown with a message naming the notebook. This file sits at the
repository's root, so pytest loads it for every run from here, ``pytest --nbval
notebooks/01_threads.ipynb`` as much as ``make test``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import time
from typing import Any

import psutil
import pytest

from helpers.leaks import is_service_process

PLUGIN_NAME = "course-notebook-leak-check"
# Evaluated in the kernel as a user expression: no output, no execution count, no new names.
SNAPSHOT = (
    "__import__('json').dumps({'pid': __import__('os').getpid(), 'threads': [[t.name, t.ident]"
    " for t in __import__('threading').enumerate()"
    " if not t.daemon and t is not __import__('threading').main_thread()]})"
)
# asyncio names the workers of an event loop's default executor asyncio_0, asyncio_1, ...; the
# kernel's loop (top-level await, asyncio.to_thread) keeps them for reuse while the kernel lives.
LOOP_EXECUTOR_THREAD = re.compile(r"asyncio_\d+")
# A pool's last worker may take a moment to be reaped after shutdown(): wait this long for it.
GRACE_SECONDS = float(os.environ.get("COURSE_LEAK_GRACE_SECONDS", "5"))
REPLY_TIMEOUT = 30.0


def kernel_snapshot(kernel: Any) -> dict[str, Any]:
    """Non-daemon threads, child processes and listening sockets of an nbval RunningKernel."""
    kc = kernel.kc
    msg_id = kc.execute(
        "", silent=True, store_history=False, user_expressions={"s": SNAPSHOT}, allow_stdin=False
    )
    deadline = time.monotonic() + REPLY_TIMEOUT
    while True:
        msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            break
    expression = msg["content"]["user_expressions"]["s"]
    if expression.get("status") != "ok":
        raise RuntimeError(f"leak check could not inspect the kernel: {expression}")
    state = json.loads(ast.literal_eval(expression["data"]["text/plain"]))
    process = psutil.Process(state["pid"])
    children = []
    for child in process.children(recursive=True):
        try:
            cmdline = " ".join(child.cmdline())
            status = child.status()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            cmdline, status = "", psutil.STATUS_ZOMBIE
        if not is_service_process(cmdline):
            children.append(f"pid {child.pid} [{status}] {cmdline[:100]}")
    listening = [
        f"{c.laddr.ip}:{c.laddr.port}"
        for c in process.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    return {
        "threads": {
            f"{name} (ident {ident})"
            for name, ident in state["threads"]
            if not LOOP_EXECUTOR_THREAD.fullmatch(name)
        },
        "children": set(children),
        "listening": set(listening),
    }


def leaks(baseline: dict[str, Any], now: dict[str, Any]) -> dict[str, list[str]]:
    """What is running now that was not running at the baseline, by kind (empty lists if none)."""
    return {
        "non-daemon threads": sorted(now["threads"] - baseline["threads"]),
        "child processes": sorted(now["children"]),
        "listening sockets": sorted(now["listening"] - baseline["listening"]),
    }


class NotebookLeakCheck:
    """pytest plugin: baseline before a notebook's first cell, leak check after its last."""

    def __init__(self) -> None:
        self.baselines: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _kernel(item: pytest.Item) -> Any | None:
        try:
            from nbval.plugin import IPyNbCell
        except ImportError:
            return None
        if not isinstance(item, IPyNbCell):
            return None
        kernel = getattr(item.parent, "kernel", None)
        return kernel if kernel is not None and kernel.is_alive() else None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        result = yield
        kernel = self._kernel(item)
        if kernel is not None and item.parent.nodeid not in self.baselines:
            self.baselines[item.parent.nodeid] = kernel_snapshot(kernel)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None):
        problem = None
        last_cell = nextitem is None or nextitem.parent is not item.parent
        kernel = self._kernel(item)
        baseline = self.baselines.pop(item.parent.nodeid, None) if last_cell else None
        if kernel is not None and baseline is not None and not item.parent.timed_out:
            problem = self.check(item.parent.nodeid, kernel, baseline)
        result = yield  # nbval stops the kernel here
        if problem:
            pytest.fail(problem, pytrace=False)
        return result

    @staticmethod
    def check(notebook: str, kernel: Any, baseline: dict[str, Any]) -> str | None:
        """A message naming the notebook and what it left running, or None if nothing."""
        deadline = time.monotonic() + GRACE_SECONDS
        while True:
            found = {
                kind: items for kind, items in leaks(baseline, kernel_snapshot(kernel)).items()
            }
            if not any(found.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if not any(found.values()):
            return None
        lines = [f"{notebook} left these running after its last cell:"]
        for kind, items in found.items():
            lines += [f"  {kind}: {item}" for item in items]
        lines.append(
            "Join every thread and shut down every pool and server in the cell that started it."
        )
        return "\n".join(lines)


# A cell tagged "requires-python-3.14" shows a feature that only 3.14+ has (InterpreterPoolExecutor,
# map(buffersize=...), ...). Its stored output comes from a 3.14 run and is compared on 3.14 and
# newer; on older Pythons the cell is skipped here (run by hand, it prints that it needs 3.14).
VERSION_TAG = re.compile(r"requires-python-(\d+)\.(\d+)")


def required_python(tags: list[str]) -> tuple[int, int] | None:
    """The (major, minor) a cell's "requires-python-X.Y" tag asks for, or None."""
    for tag in tags:
        if match := VERSION_TAG.fullmatch(tag):
            return int(match[1]), int(match[2])
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    cell = getattr(item, "cell", None)
    if cell is None:
        return
    needed = required_python(cell.get("metadata", {}).get("tags", []))
    if needed is not None and sys.version_info[:2] < needed:
        pytest.skip(f"needs Python {needed[0]}.{needed[1]}+; this is {sys.version.split()[0]}")


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(NotebookLeakCheck(), PLUGIN_NAME)
