"""Run the process-pool notebooks under nbval once per start method (`make test-start-methods`).

A notebook counts as a process-pool notebook when one of its code cells mentions
ProcessPoolExecutor or mp_context. Each run sets COURSE_START_METHOD (read by
helpers.pools.mp_context) and runs the pytest arguments given after ``--`` plus those notebooks.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

from nblist import course_notebooks, uses_process_pools
from runs import ROOT, report, run_step

METHODS = ("fork", "spawn", "forkserver")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--notebook", action="append", help="run these instead of detecting")
    parser.add_argument("pytest_args", nargs="*", help="after --: the pytest arguments")
    args = parser.parse_args()
    found = [str(p.relative_to(ROOT)) for p in course_notebooks() if uses_process_pools(p)]
    notebooks = args.notebook or found
    if not notebooks:
        print("test-start-methods: no notebook uses a process pool yet; nothing to run")
        return 0
    print("test-start-methods:", " ".join(notebooks))
    available = multiprocessing.get_all_start_methods()
    results = []
    for method in args.methods.split(","):
        if method not in available:
            results.append({"method": method, "result": "not on this platform", "code": None})
            continue
        env = {**os.environ, "COURSE_START_METHOD": method}
        cmd = [sys.executable, "-m", "pytest", *args.pytest_args, *notebooks]
        print(f"\n=== COURSE_START_METHOD={method} {' '.join(cmd)}", flush=True)
        results.append({"method": method, **run_step(cmd, env)})
    report(results, "method", "start method", "start-methods.json")
    failed = [r for r in results if r["result"] == "FAIL"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
