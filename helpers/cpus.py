"""How many CPUs this process may use, and how many idle cores a pool could have used.

``os.cpu_count()`` counts the machine's cores, not the ones this process may run on. Three things
can allow fewer: an affinity mask (``taskset``, ``os.sched_setaffinity``), which
``os.process_cpu_count()`` (3.13+) and ``os.sched_getaffinity`` report; and a container's CPU
quota (Binder, Docker's ``--cpus``), which only the cgroup files tell: cgroup v2's ``cpu.max``,
cgroup v1's ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``. Every ideal line, core-count cap and
"no core idle" verdict in the course uses :func:`usable_cpus` and :func:`spare_cores`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from helpers import _validate

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:  # missing file, no permission: no quota known there
        return None


def _ancestors(relative: str) -> list[str]:
    """``/a/b`` -> ``["/a/b", "/a", "/"]``: a quota set on any parent cgroup applies too."""
    parts = [p for p in relative.split("/") if p]
    return ["/" + "/".join(parts[:i]) for i in range(len(parts), -1, -1)]


def _quota_v2(directory: Path) -> float | None:
    text = _read(directory / "cpu.max")  # "max 100000" (none) or "150000 100000" (1.5 CPUs)
    if not text:
        return None
    quota, _, period = text.partition(" ")
    if quota == "max" or not period:
        return None
    return int(quota) / int(period)


def _quota_v1(directory: Path) -> float | None:
    quota, period = _read(directory / "cpu.cfs_quota_us"), _read(directory / "cpu.cfs_period_us")
    if not quota or not period or int(quota) <= 0:  # -1: no quota
        return None
    return int(quota) / int(period)


def cpu_quota(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_SELF_CGROUP) -> float | None:
    """The CPU quota of this process's cgroup (and its parents) in CPUs, or None if none is set.

    Reads ``proc_cgroup`` (``/proc/self/cgroup``) to find the cgroup, then the quota files under
    ``root``; where several levels set one, the smallest wins. ``None`` off Linux.
    """
    listing = _read(proc_cgroup)
    if listing is None:
        return None
    quotas: list[float] = []
    for line in listing.splitlines():
        _, controllers, relative = line.split(":", 2)
        if controllers == "":  # cgroup v2: one unified hierarchy
            places, read = [root], _quota_v2
        elif "cpu" in controllers.split(","):  # cgroup v1: the cpu controller's hierarchy
            names = [controllers, "cpu", "cpu,cpuacct", "cpuacct,cpu"]
            places, read = [root / n for n in dict.fromkeys(names)], _quota_v1
        else:
            continue
        for place in places:
            for ancestor in _ancestors(relative):
                quota = read(place / ancestor.lstrip("/"))
                if quota is not None:
                    quotas.append(quota)
    return min(quotas) if quotas else None


def scheduled_cpus() -> int:
    """CPUs the OS lets this process run on: its affinity mask where known, else all cores."""
    if hasattr(os, "process_cpu_count"):  # 3.13+: the affinity mask where the OS has one
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def usable_cpus() -> int:
    """How many CPUs this process can keep busy at once: its affinity, capped by a cgroup quota."""
    return cpus_within(scheduled_cpus(), cpu_quota())


def cpus_within(scheduled: int, quota: float | None) -> int:
    """CPUs usable with ``scheduled`` CPUs allowed and a quota of ``quota`` CPUs (None: none).

    A quota of 1.5 CPUs counts as 2: two processes can each run part of the time.
    """
    _validate.integer(scheduled, "scheduled", 1)
    if quota is None:
        return scheduled
    return min(scheduled, max(1, math.ceil(_validate.positive(quota, "quota"))))


def spare_cores(
    idle_cores: float, workers: int, *, cores: int | None = None, usable: int | None = None
) -> float:
    """Idle cores that ``workers`` could have used: the idle cores seen, less those no worker could.

    ``idle_cores`` is measured over the whole machine (how many of its ``cores`` no program
    used). A pool of ``workers`` can use at most ``min(workers, usable)`` of them; the others
    stay idle by design -- on a 16-core laptop running 4 workers, or under a 1-CPU quota on 2
    cores -- and do not count against the pool. Near 0 means every core the pool could use ran
    one of its workers or another program. ``cores`` and ``usable`` default to this machine's.
    """
    _validate.number(idle_cores, "idle_cores")
    _validate.integer(workers, "workers", 1)
    cores = (os.cpu_count() or 1) if cores is None else _validate.integer(cores, "cores", 1)
    usable = usable_cpus() if usable is None else _validate.integer(usable, "usable", 1)
    could_use = min(workers, usable, cores)
    return max(0.0, idle_cores - (cores - could_use))


# Linux hands out a cgroup's CPU quota per period: 100 ms by default (cpu.cfs_period_us,
# cpu.max), and in Docker and Binder.
QUOTA_PERIOD = 0.1


def most_cores_busy(workers: int, seconds: float) -> float:
    """The most cores ``workers`` processes can keep busy on average over a run of ``seconds``.

    ``min(workers, usable_cpus())``. A CPU quota caps the average over the kernel's periods,
    not every instant: a run lasting only a few periods can burst beyond it, by at most one
    period's quota at either end -- but never onto more cores than the OS schedules it on.
    """
    _validate.integer(workers, "workers", 1)
    _validate.positive(seconds, "seconds")
    most = float(min(workers, usable_cpus()))
    quota = cpu_quota()
    if quota is not None:
        bursts = quota * 2 * QUOTA_PERIOD / seconds
        most = min(most + bursts, workers, scheduled_cpus())
    return most
