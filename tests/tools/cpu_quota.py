"""Run the strict notebook suite under a 1-CPU quota, as Binder or ``docker --cpus=1`` would.

`make test-cpu-quota` (issue 10.4). Needs root: it creates a cgroup v1 under the ``cpu``
controller (``/sys/fs/cgroup/cpu/course-cpu-quota-PID``) with ``cpu.cfs_quota_us`` equal to
``cpu.cfs_period_us`` -- one CPU's worth of time per period, while ``os.cpu_count()`` still
shows every core. Each command is started inside it (its pid written to ``cgroup.procs`` before
it execs), so pytest, its kernels and their worker processes all share the one CPU. First
``helpers.cpus.usable_cpus()`` must report 1 in there, then pytest runs the arguments after
``--``. The cgroup is removed afterwards, whatever happened (processes left in it are moved
back to the parent first).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from runs import ROOT, report

CPU_V1 = Path("/sys/fs/cgroup/cpu")
PERIOD_US = 100_000


def needs(message: str) -> int:
    print(f"test-cpu-quota: {message}", file=sys.stderr)
    return 2


def make_cgroup(cpus: float) -> Path:
    """A new cgroup under the v1 cpu controller, limited to ``cpus`` CPUs."""
    group = CPU_V1 / f"course-cpu-quota-{os.getpid()}"
    group.mkdir()
    (group / "cpu.cfs_period_us").write_text(f"{PERIOD_US}\n")
    (group / "cpu.cfs_quota_us").write_text(f"{int(cpus * PERIOD_US)}\n")
    return group


def remove_cgroup(group: Path) -> None:
    """Move any process still in ``group`` back to its parent, then remove it."""
    for _ in range(50):
        for pid in (group / "cgroup.procs").read_text().split():
            with contextlib.suppress(OSError):  # OSError: exited meanwhile
                (group.parent / "cgroup.procs").write_text(pid + "\n")
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.1)
    print(f"test-cpu-quota: could not remove {group}", file=sys.stderr)


def inside(group: Path):
    """A preexec_fn that moves the child into ``group`` before it execs the command."""

    def enter() -> None:
        (group / "cgroup.procs").write_text(f"{os.getpid()}\n")

    return enter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpus", type=float, default=1.0, help="the quota, in CPUs (default 1)")
    parser.add_argument("pytest_args", nargs="*", help="after --: the pytest arguments")
    args = parser.parse_args()
    if os.geteuid() != 0:
        return needs("needs root (it creates a cgroup): run `sudo make test-cpu-quota`")
    if not (CPU_V1 / "cpu.cfs_quota_us").exists():
        return needs(
            f"needs cgroup v1's cpu controller at {CPU_V1} (cpu.cfs_quota_us); "
            "this machine does not mount it (cgroup v2 only is not supported by this check yet)"
        )
    group = make_cgroup(args.cpus)
    print(f"test-cpu-quota: {group} with a quota of {args.cpus:g} CPU(s)", flush=True)
    results = []
    try:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import os; from helpers.cpus import cpu_quota, usable_cpus; "
                "print(os.cpu_count(), cpu_quota(), usable_cpus())",
            ],
            cwd=ROOT,
            preexec_fn=inside(group),
            capture_output=True,
            text=True,
            check=True,
        )
        cores, quota, usable = probe.stdout.split()
        print(
            f"test-cpu-quota: inside, os.cpu_count()={cores}, helpers.cpus.cpu_quota()={quota}, "
            f"helpers.cpus.usable_cpus()={usable}",
            flush=True,
        )
        expected = str(max(1, min(int(cores), math.ceil(args.cpus))))
        if usable != expected:
            print(f"test-cpu-quota: FAIL: usable_cpus() is {usable}, expected {expected}")
            return 1
        cmd = [sys.executable, "-m", "pytest", *args.pytest_args]
        print(f"\n=== in {group.name}: {' '.join(cmd)}", flush=True)
        start = time.monotonic()
        code = subprocess.run(cmd, cwd=ROOT, preexec_fn=inside(group), check=False).returncode
        result = "pass" if code == 0 else "FAIL"
        seconds = round(time.monotonic() - start, 1)
        results.append(
            {"quota": f"{args.cpus:g} CPU", "result": result, "code": code, "seconds": seconds}
        )
    finally:
        # Proof that the quota was in force: how often the kernel throttled the cgroup.
        stat = dict(line.split() for line in (group / "cpu.stat").read_text().splitlines())
        print(
            f"test-cpu-quota: cpu.stat: {stat.get('nr_throttled')} of {stat.get('nr_periods')} "
            f"periods throttled ({int(stat.get('throttled_time', 0)) / 1e9:.1f} s held back)"
        )
        remove_cgroup(group)
    report(results, "quota", "CPU quota", "cpu-quota.json")
    return 0 if all(r["result"] == "pass" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
