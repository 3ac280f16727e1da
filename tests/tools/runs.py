"""Run one pytest command as a step of a wider check, and report the steps as JSON and a table."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_TESTS = 5  # pytest's exit code when it collected nothing: not a failure here


def run_step(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> dict:
    """Run ``cmd`` in the repository; its result (pass / no tests / FAIL), exit code, seconds."""
    start = time.monotonic()
    code = subprocess.run(list(cmd), cwd=ROOT, env=env, check=False).returncode
    result = "pass" if code == 0 else "no tests" if code == NO_TESTS else "FAIL"
    return {"result": result, "code": code, "seconds": round(time.monotonic() - start, 1)}


def report(results: list[dict], key: str, title: str, filename: str) -> None:
    """Write build/<filename> and print a table with one row per step, named by ``key``."""
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / filename).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n| {title} | result | exit code | seconds |\n|---|---|---|---|")
    for r in results:
        print(f"| {r[key]} | {r['result']} | {r['code']} | {r.get('seconds', '')} |")
