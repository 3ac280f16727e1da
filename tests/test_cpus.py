"""How many CPUs the course may use, and the "no core idle" verdict, on simulated machines."""

from pathlib import Path

import pytest

from helpers import cpus
from helpers.measure import Timed


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_cgroup_v2_quota(tmp_path):
    _write(tmp_path, {"proc": "0::/user.slice/binder\n"})
    _write(tmp_path / "fs", {"user.slice/binder/cpu.max": "100000 100000\n"})
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") == 1.0


def test_cgroup_v2_quota_of_a_parent_and_no_quota(tmp_path):
    _write(tmp_path, {"proc": "0::/a/b\n"})
    _write(tmp_path / "fs", {"a/b/cpu.max": "max 100000\n", "a/cpu.max": "150000 100000\n"})
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") == 1.5  # the parent's applies
    _write(tmp_path / "fs", {"a/cpu.max": "max 100000\n"})
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") is None


def test_cgroup_v1_quota(tmp_path):
    listing = "12:memory:/docker/x\n4:cpu,cpuacct:/docker/x\n"
    _write(tmp_path, {"proc": listing})
    quota = {"cpu,cpuacct/docker/x/cpu.cfs_quota_us": "50000\n"}
    quota["cpu,cpuacct/docker/x/cpu.cfs_period_us"] = "100000\n"
    _write(tmp_path / "fs", quota)
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") == 0.5


def test_cgroup_v1_without_quota_and_the_smallest_of_several(tmp_path):
    _write(tmp_path, {"proc": "4:cpu,cpuacct:/x\n"})
    files = {"cpu/x/cpu.cfs_quota_us": "-1\n", "cpu/x/cpu.cfs_period_us": "100000\n"}
    _write(tmp_path / "fs", files)
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") is None
    _write(
        tmp_path / "fs", {"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}
    )
    _write(tmp_path / "fs", {"cpu/x/cpu.cfs_quota_us": "200000\n"})
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") == 2.0


def test_no_cgroup_files_means_no_quota(tmp_path):
    assert cpus.cpu_quota(tmp_path, tmp_path / "missing") is None  # macOS, Windows
    _write(tmp_path, {"proc": "0::/\n"})
    assert cpus.cpu_quota(tmp_path / "fs", tmp_path / "proc") is None


@pytest.mark.parametrize(
    ("scheduled", "quota", "usable"),
    [(2, None, 2), (2, 1.0, 1), (16, 1.5, 2), (64, 8.0, 8), (4, 0.25, 1), (1, 4.0, 1)],
)
def test_cpus_within(scheduled, quota, usable):
    assert cpus.cpus_within(scheduled, quota) == usable


@pytest.mark.parametrize(("scheduled", "quota"), [(0, None), (2, 0.0), (2, -1.0)])
def test_cpus_within_rejects_bad_input(scheduled, quota):
    with pytest.raises(ValueError):
        cpus.cpus_within(scheduled, quota)


def test_usable_cpus_on_this_machine():
    assert 1 <= cpus.usable_cpus() <= cpus.scheduled_cpus()


# The verdict "processes left no core idle that a worker could use" (spare cores < 0.5), on
# simulated machines: (cores, usable CPUs, workers, idle cores measured, verdict).
MACHINES = [
    # 1 core: a single worker keeps it busy; a single idle core is a verdict against it
    (1, 1, 4, 0.05, True),
    (1, 1, 4, 0.9, False),
    # 2 cores, quiet machine, 4 workers: both busy
    (2, 2, 4, 0.1, True),
    (2, 2, 4, 1.0, False),  # one core left idle: the pool did not run in parallel
    (2, 2, 1, 1.0, True),  # 1 worker cannot use the second core: not held against it
    # Binder: a 1-CPU quota on 2 visible cores leaves one core idle by design
    (2, 1, 4, 1.05, True),
    (2, 1, 4, 1.9, False),
    # an 8-core laptop running 4 workers: 4 cores idle by design
    (8, 8, 4, 4.2, True),
    (8, 8, 4, 5.0, False),
    # a 16-core laptop, 6 workers
    (16, 16, 6, 10.3, True),
    (16, 16, 6, 12.0, False),
    # 64 cores, 8 workers, a container quota of 4 CPUs: only 4 could ever be busy
    (64, 4, 8, 60.2, True),
    (64, 4, 8, 61.0, False),
]


@pytest.mark.parametrize(("cores", "usable", "workers", "idle", "verdict"), MACHINES)
def test_spare_core_verdict_holds_on_every_machine(cores, usable, workers, idle, verdict):
    spare = cpus.spare_cores(idle, workers, cores=cores, usable=usable)
    assert spare >= 0
    assert (spare < 0.5) == verdict


@pytest.mark.parametrize(("cores", "usable", "workers", "idle", "verdict"), MACHINES)
def test_timed_spare_cores_use_this_machines_cores(
    monkeypatch, cores, usable, workers, idle, verdict
):
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(cpus, "usable_cpus", lambda: usable)
    record = Timed("processes", workers, 1.0, 1.0, idle)
    assert (record.spare_cores < 0.5) == verdict
    assert Timed("processes", workers, 1.0).spare_cores is None  # idle cores not measured


def test_usable_cpus_under_a_quota(monkeypatch):
    monkeypatch.setattr(cpus, "scheduled_cpus", lambda: 2)
    monkeypatch.setattr(cpus, "cpu_quota", lambda: 1.0)
    assert cpus.usable_cpus() == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((1.0, 0), ValueError),
        ((True, 2), TypeError),
        (("1", 2), TypeError),
        ((1.0, 1.5), TypeError),
    ],
)
def test_spare_cores_rejects_bad_input(args, error):
    with pytest.raises(error):
        cpus.spare_cores(*args)


@pytest.mark.parametrize(
    ("scheduled", "quota", "workers", "seconds", "most"),
    [
        (2, None, 2, 0.2, 2),  # no quota: min(workers, usable cores)
        (8, None, 2, 0.2, 2),  # a laptop: the workers, not the cores, cap it
        (16, None, 32, 0.2, 16),
        (64, None, 4, 5.0, 4),
        (2, 1.0, 1, 0.2, 1),  # one worker is one core, quota or not
        (2, 1.0, 2, 0.4, 1.5),  # 1-CPU quota: a period's burst at either end, 0.2 s in 0.4 s
        (2, 1.0, 4, 0.1, 2),  # ... but never more cores than the OS schedules it on
        (2, 1.0, 2, 20.0, 1.01),  # a long run: the quota itself
        (16, 1.5, 8, 1.0, 2.3),  # 1.5 CPUs count as 2 usable, + 0.3 in bursts
    ],
)
def test_most_cores_busy_on_any_core_count_and_quota(
    monkeypatch, scheduled, quota, workers, seconds, most
):
    monkeypatch.setattr(cpus, "scheduled_cpus", lambda: scheduled)
    monkeypatch.setattr(cpus, "cpu_quota", lambda *a: quota)
    assert cpus.most_cores_busy(workers, seconds) == pytest.approx(most)


@pytest.mark.parametrize(("workers", "seconds"), [(0, 1.0), (2, 0.0), (2, -1.0)])
def test_most_cores_busy_rejects_bad_input(workers, seconds):
    with pytest.raises(ValueError):
        cpus.most_cores_busy(workers, seconds)
