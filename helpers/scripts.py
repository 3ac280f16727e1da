"""Run a short Python program in a fresh interpreter: to show what a *script* does, outside Jupyter.

A notebook kernel never exits between cells, so behaviour at interpreter exit (waiting for
non-daemon threads, killing daemon threads) can only be seen in a separate process.
"""

from __future__ import annotations

import subprocess
import sys

from helpers import _validate


def run_python(source: str, *, timeout: float = 30.0) -> str:
    """Run ``source`` with this Python (``python -c``) and return what it printed on stdout."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty string of Python code")
    _validate.positive(timeout, "timeout")
    done = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the program failed ({done.returncode}):\n{done.stderr}")
    return done.stdout
