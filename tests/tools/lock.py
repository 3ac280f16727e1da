"""`make lock`: pin everything the course's packages need, in requirements.txt and environment.yml.

The top of requirements.txt names the packages the course uses, each with why. Below the mark
line comes every package those need, pinned too, written by this script with
``uv pip compile --universal`` (markers after ``;`` choose by platform and Python version,
3.11 and newer). So every install -- a learner's, CI's, Binder's -- gets the versions the stored
outputs were made with, and uv has little left to resolve (0.7 s instead of 2.5 s of a learner's
first ``make lab``, issue 14). environment.yml gets the same lines in its pip list. The mark line
records a digest of the top-level pins: ``tests/test_dependencies.py`` fails when they change
and this script was not run again. Stdlib only; needs uv (.venv's or on PATH) and the index.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
ENVIRONMENT = ROOT / "environment.yml"
MARK = "# --- Everything the packages above need, pinned too"
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)==([^\s;#]+)")
OLDEST_PYTHON = "3.11"


def normalized(name: str) -> str:
    """A distribution name as the index compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_pins(text: str) -> list[str]:
    """``name==version`` of each top-level pin: the lines above the mark (or all, without one)."""
    pins = []
    for line in text.split(MARK)[0].splitlines():
        match = PIN.match(line)
        if match:
            pins.append(f"{normalized(match[1])}=={match[2]}")
    return pins


def digest(pins: list[str]) -> str:
    """What the mark line records: changes whenever a top-level pin does."""
    return hashlib.sha256("\n".join(sorted(pins)).encode()).hexdigest()[:12]


def mark_line(pins: list[str]) -> str:
    return f"{MARK} (`make lock` writes them; top: {digest(pins)})"


def compiled(pins: list[str]) -> list[str]:
    """The pins uv resolves for every platform and Python >= 3.11, top-level ones left out."""
    uv = ROOT / ".venv" / "bin" / "uv"
    uv_command = str(uv) if uv.exists() else shutil.which("uv")
    if uv_command is None:
        sys.exit("make lock needs uv: run `make` first, or install uv")
    with tempfile.TemporaryDirectory() as tmp:
        wanted = Path(tmp) / "top.in"
        wanted.write_text("\n".join(pins) + "\n")
        out = subprocess.run(
            [uv_command, "pip", "compile", "--quiet", "--universal", "--no-header",
             "--python-version", OLDEST_PYTHON, "--annotation-style", "line", str(wanted)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    top = {pin.split("==")[0] for pin in pins}
    lines = []
    for line in out.splitlines():
        match = PIN.match(line)
        if match and normalized(match[1]) not in top:
            lines.append(line.replace("-r " + str(wanted), "the course").rstrip())
    return lines


def write_requirements(text: str, pins: list[str], lines: list[str]) -> str:
    head = text.split(MARK)[0].rstrip("\n").splitlines()
    editable = [line for line in text.splitlines() if line.startswith("-e ")]
    head = [line for line in head if not line.startswith("-e ")]
    return "\n".join([*head, mark_line(pins), *lines, *editable]) + "\n"


def write_environment(text: str, pins: list[str], lines: list[str]) -> str:
    """The pip list of environment.yml: its own top lines, then the same generated lines
    (up to the first comment line after them)."""
    before, found, after = text.partition("      " + MARK)
    if not found:
        sys.exit(f"environment.yml has no line starting with {MARK!r} in its pip list")
    tail = after[after.index("\n# ") + 1 :]
    generated = ["      " + mark_line(pins), *("      - " + line for line in lines)]
    return before.rstrip("\n") + "\n" + "\n".join(generated) + "\n" + tail


def main() -> None:
    text = REQUIREMENTS.read_text()
    pins = top_pins(text)
    lines = compiled(pins)
    REQUIREMENTS.write_text(write_requirements(text, pins, lines))
    ENVIRONMENT.write_text(write_environment(ENVIRONMENT.read_text(), pins, lines))
    print(f"make lock: {len(pins)} top-level pins, {len(lines)} more lines (top: {digest(pins)})")


if __name__ == "__main__":
    main()
