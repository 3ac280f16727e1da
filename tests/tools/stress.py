"""Run the whole nbval suite N times while a CPU hog keeps one core busy (`make stress N=10`).

A demo that passes only on a quiet machine is flaky for a learner whose laptop is doing something
else. Each run writes JUnit XML under build/stress/; the results are added up per cell (passes,
failures; a failing teardown such as the leak check counts against its cell) into
build/stress.json and a table of every cell that failed at least once. Exit code 1 if any did.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "stress"
HOG = "while True: pass"  # one busy core, like a learner's laptop doing something else


def outcomes(junit: Path) -> dict[str, str]:
    """Cell id -> passed / failed / skipped, from one pytest JUnit XML report."""
    results: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        cell = f"{case.get('classname', '')}::{case.get('name', '')}"
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            results[cell] = "failed"
        elif "skipped" in kinds:
            results[cell] = results.get(cell, "skipped")
        else:
            results.setdefault(cell, "passed")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("pytest_args", nargs="*", help="after --: the pytest arguments")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    OUT.mkdir(parents=True, exist_ok=True)
    hog = subprocess.Popen([sys.executable, "-c", HOG])
    runs = []
    per_cell: dict[str, Counter[str]] = {}
    try:
        for run in range(1, args.runs + 1):
            junit = OUT / f"run-{run:02d}.xml"
            cmd = [sys.executable, "-m", "pytest", *args.pytest_args, f"--junitxml={junit}", "-q"]
            print(f"\n=== stress run {run}/{args.runs} (CPU hog pid {hog.pid})", flush=True)
            start = time.monotonic()
            code = subprocess.run(cmd, cwd=ROOT, check=False).returncode
            seconds = round(time.monotonic() - start, 1)
            runs.append({"run": run, "exit_code": code, "seconds": seconds})
            if junit.exists():
                for cell, outcome in outcomes(junit).items():
                    per_cell.setdefault(cell, Counter())[outcome] += 1
    finally:
        hog.kill()
        hog.wait()
    flaky = {cell: dict(c) for cell, c in sorted(per_cell.items()) if c["failed"]}
    report = {
        "runs": args.runs,
        "cpu_hog": HOG,
        "run_results": runs,
        "cells": {cell: dict(c) for cell, c in sorted(per_cell.items())},
        "cells_failing_at_least_once": flaky,
    }
    (ROOT / "build" / "stress.json").write_text(json.dumps(report, indent=2) + "\n")
    clean_runs = sum(r["exit_code"] == 0 for r in runs)
    print(f"\nstress: {clean_runs}/{args.runs} runs fully green with one core busy")
    print(f"cells: {len(per_cell)}; failing at least once: {len(flaky)} (build/stress.json)")
    if flaky:
        print("\n| cell | passed | failed |\n|---|---|---|")
        for cell, counts in flaky.items():
            print(f"| {cell} | {counts.get('passed', 0)} | {counts['failed']} |")
    return 0 if clean_runs == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
