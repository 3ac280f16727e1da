"""The notebook leak check (the root conftest.py) passes a tidy notebook and fails leaky ones."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parent
TIDY = """\
import threading
from concurrent.futures import ThreadPoolExecutor
t = threading.Thread(target=sum, args=([1, 2],), name="tidy")
t.start()
t.join()
with ThreadPoolExecutor(max_workers=2, thread_name_prefix="tidy-pool") as pool:
    list(pool.map(abs, [-1, -2]))
daemon = threading.Thread(target=threading.Event().wait, name="daemon-ok", daemon=True)
daemon.start()"""
LEAKS = {
    # Each leaky cell's resource dies with the kernel that nbval stops after the check.
    "leaks_thread": """\
import threading
threading.Thread(target=threading.Event().wait, name="forgotten-worker").start()""",
    "leaks_process": """\
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                         stdin=subprocess.PIPE)""",
    "leaks_socket": """\
import socket
server = socket.create_server(("127.0.0.1", 0))""",
    "leaks_pool": """\
from concurrent.futures import ThreadPoolExecutor
pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="never-shut-down")
done = pool.submit(abs, -1).result()""",
}
EXPECTED = {
    "leaks_thread": "non-daemon threads: forgotten-worker",
    "leaks_process": "child processes: pid",
    "leaks_socket": "listening sockets: 127.0.0.1:",
    "leaks_pool": "non-daemon threads: never-shut-down_0",
}


def notebook(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    first = nbformat.v4.new_code_cell("print('first cell')", execution_count=1)
    first.outputs = [nbformat.v4.new_output("stream", name="stdout", text="first cell\n")]
    nb.cells = [first] + [
        nbformat.v4.new_code_cell(source, execution_count=n)
        for n, source in enumerate(sources, start=2)
    ]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """Run nbval with the leak check over one tidy and several leaky notebooks; junit results."""
    tmp = tmp_path_factory.mktemp("leaks")
    shutil.copy(HERE.parent / "conftest.py", tmp / "conftest.py")
    notebook(tmp / "tidy.ipynb", TIDY)
    for name, source in LEAKS.items():
        notebook(tmp / f"{name}.ipynb", source)
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "."]
    cmd += ["--nbval", "--nbval-current-env"]
    env = {**os.environ, "COURSE_LEAK_GRACE_SECONDS": "1"}  # leaks here never go away
    done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    return {"code": done.returncode, "out": done.stdout + done.stderr}


def summary_line(out: str, name: str) -> str:
    return next((line for line in out.splitlines() if line.startswith(f"ERROR {name}.ipynb")), "")


def test_tidy_notebook_passes(report):
    for cell in (0, 1):
        assert f"PASSED tidy.ipynb::Cell {cell}" in report["out"], report["out"]
    assert "tidy.ipynb left" not in report["out"], report["out"]
    bad = [line for line in report["out"].splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert not [line for line in bad if "tidy" in line], report["out"]


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_leaky_notebook_fails_naming_it_and_the_leak(report, name):
    assert report["code"] == 1, report["out"]
    line = summary_line(report["out"], name)
    assert line.startswith(f"ERROR {name}.ipynb::Cell 1"), report["out"]
    assert f"{name}.ipynb left these running after its last cell" in report["out"]
    assert EXPECTED[name] in report["out"], report["out"]
    # The cells themselves ran and matched their outputs: only the teardown check fails.
    assert not [line for line in report["out"].splitlines() if line.startswith("FAILED")]
    assert f"PASSED {name}.ipynb::Cell 1" in report["out"], json.dumps(report["out"])
