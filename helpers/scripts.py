"""Run a short Python program in a fresh interpreter: to show what a *script* does, outside Jupyter.

A notebook kernel never exits between cells, so behaviour at interpreter exit (waiting for
non-daemon threads, killing daemon threads) can only be seen in a separate process.
"""

from __future__ import annotations

import subprocess
import sys


def run_python(source: str, *, timeout: float = 30.0) -> str:
    """Run ``source`` with this Python (``python -c``) and return what it printed on stdout."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty string of Python code")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    done = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the program failed ({done.returncode}):\n{done.stderr}")
    return done.stdout
