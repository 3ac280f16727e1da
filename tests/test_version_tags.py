"""Cells tagged "requires-python-X.Y" are compared on X.Y and newer, skipped on older Pythons."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from conftest import required_python  # noqa: E402


def test_required_python_reads_the_tag():
    assert required_python(["solution", "requires-python-3.14"]) == (3, 14)
    assert required_python(["requires-python-3.9"]) == (3, 9)
    assert required_python(["raises-exception"]) is None
    assert required_python([]) is None


def test_a_future_python_cell_is_skipped_and_an_old_one_runs(tmp_path):
    nb = nbformat.v4.new_notebook()
    future = nbformat.v4.new_code_cell("raise SystemExit('must not run')", execution_count=1)
    future.metadata["tags"] = ["requires-python-99.0"]
    old = nbformat.v4.new_code_cell("print('ran')", execution_count=2)
    old.metadata["tags"] = ["requires-python-3.0"]
    old.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nb.cells = [future, old]
    nbformat.write(nb, tmp_path / "versions.ipynb")
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "-rs"]
    cmd += ["--nbval-current-env", "-c", "/dev/null", "--rootdir", str(tmp_path), "versions.ipynb"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout
    assert "needs Python 99.0+" in done.stdout
