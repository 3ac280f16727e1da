import json
import sys
import time
from pathlib import Path

import psutil
import pytest

from helpers import cpus, leaks, measure, pools
from helpers.experiments import scaling
from helpers.workers import cpu

ROOT = Path(__file__).resolve().parents[1]


def test_cpu_task_is_a_deterministic_checksum():
    assert cpu.cpu_task(0) == 0
    assert cpu.cpu_task(10) == sum(i * i % 7 for i in range(10))


@pytest.mark.parametrize(
    ("bad", "error"), [(-1, ValueError), (1.5, TypeError), ("3", TypeError), (True, TypeError)]
)
def test_cpu_task_rejects_bad_n(bad, error):
    with pytest.raises(error):
        cpu.cpu_task(bad)


def test_timed_cpu_task_returns_cpu_seconds():
    assert 0 <= cpu.timed_cpu_task(100_000) < 5


def test_usable_cpus_is_positive():
    assert cpus.usable_cpus() >= 1


def test_time_jobs_one_pool_many_cuts():
    records = scaling.time_jobs(2, [(4, 100, 1), (40, 10, 10)], repeat=2)
    assert [(r.way, r.workers, r.workload, r.round) for r in records] == [
        ("processes", 2, scaling.job_name(4, 100, 1), 0),
        ("processes", 2, scaling.job_name(40, 10, 10), 0),
        ("processes", 2, scaling.job_name(4, 100, 1), 1),
        ("processes", 2, scaling.job_name(40, 10, 10), 1),
    ]
    assert all(r.seconds > 0 and r.cpu_seconds is not None and r.cpu_seconds >= 0 for r in records)
    assert len(measure.best(records)) == 2


@pytest.mark.parametrize(
    "job", [(0, 1, 1), (1, -1, 1), (1, 1, 0), (1.5, 1, 1)], ids=["tasks", "n", "chunksize", "float"]
)
def test_time_jobs_rejects_bad_jobs(job):
    with pytest.raises((ValueError, TypeError)):
        scaling.time_jobs(1, [job])


def test_cpu_seconds_with_children_counts_a_busy_child():
    import subprocess

    before = measure.cpu_seconds_with_children()
    code = (
        "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\ninput()"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while measure.cpu_seconds_with_children() - before < 0.25:
            assert time.monotonic() < deadline, "the child's CPU time was never counted"
            time.sleep(0.05)
    finally:
        child.communicate(b"\n", timeout=30)
    with pytest.raises(ValueError):
        scaling.time_jobs(2, [])
    with pytest.raises(ValueError):
        scaling.time_jobs(2, [(1, 1, 0)], repeat=0)


def test_warm_up_sees_every_worker():
    from concurrent.futures import ProcessPoolExecutor

    from helpers.pools import mp_context

    with ProcessPoolExecutor(2, mp_context=mp_context()) as pool:
        assert pools.warm_up(pool, 2) == 2
    with pytest.raises(ValueError):
        pools.warm_up(pool, 0)


def test_warm_up_times_out_when_workers_never_appear():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool, pytest.raises(TimeoutError):
        pools.warm_up(pool, 2, timeout=0.1)  # threads share one pid


def _timed(workers, seconds_by_round, cpu=None, idle=None):
    return [
        measure.Timed("processes", workers, t, cpu, idle, n, "w")
        for n, t in enumerate(seconds_by_round)
    ]


def test_speedups_pair_rounds():
    records = _timed(1, (1.0, 3.0, 1.2)) + _timed(2, (0.5, 3.0, 0.6))
    # round by round: 2.0, 1.0, 2.0 -> median 2.0 (a burst of load in round 1 hit both alike)
    assert scaling.speedups(records) == {1: 1.0, 2: 2.0}
    lopsided = _timed(1, (1.0, 1.0, 1.0)) + _timed(2, (0.5, 0.2, 0.5))
    assert scaling.speedups(lopsided) == {1: 1.0, 2: 2.0}  # not 5.0 from one lucky round


def test_speedups_need_a_one_worker_baseline():
    with pytest.raises(ValueError):
        scaling.speedups([])
    with pytest.raises(ValueError):
        scaling.speedups(_timed(2, (1.0,)))


def test_scaling_table_shows_best_times_and_median_cores(monkeypatch):
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cpus, "usable_cpus", lambda: 2)
    records = _timed(1, (1.0, 1.2, 1.1), cpu=1.0, idle=1.0) + _timed(
        2, (0.6, 0.5, 0.55), cpu=1.0, idle=0.1
    )
    table = scaling.scaling_table(records)
    assert table.index.tolist() == [1, 2]
    assert table["time"].tolist() == ["1.00s", "0.50s"]
    assert table["speedup"].tolist() == [1.0, 2.0]
    assert table["efficiency"].tolist() == [1.0, 1.0]
    assert table["cores busy"].tolist() == [0.9, 1.8]  # medians: 1/1.1 and 1/0.55
    assert table["spare cores"].tolist() == [0.0, 0.1]  # 1 worker can't use the second core


def test_amdahl():
    assert scaling.amdahl(1, 0.9) == pytest.approx(1.0)
    assert scaling.amdahl(4, 1.0) == pytest.approx(4.0)
    assert scaling.amdahl(4, 0.0) == pytest.approx(1.0)
    assert scaling.amdahl(8, 1.0, cores=2) == pytest.approx(2.0)
    assert scaling.amdahl(2, 0.5) == pytest.approx(1 / 0.75)


@pytest.mark.parametrize(
    ("workers", "p", "cores"), [(0, 0.5, None), (2, 1.5, None), (2, -0.1, None), (2, 0.5, 0)]
)
def test_amdahl_rejects_bad_input(workers, p, cores):
    with pytest.raises(ValueError):
        scaling.amdahl(workers, p, cores)


def test_fit_amdahl_recovers_p():
    workers = [1, 2, 3, 4]
    for true_p in (0.0, 0.6, 0.95, 1.0):
        measured = [scaling.amdahl(n, true_p, cores=2) for n in workers]
        assert scaling.fit_amdahl(workers, measured, cores=2) == pytest.approx(true_p)


def test_fit_amdahl_clips_to_a_fraction():
    assert scaling.fit_amdahl([1, 2], [1.0, 3.0]) == 1.0  # superlinear noise
    assert scaling.fit_amdahl([1, 2], [1.0, 0.5]) == 0.0  # slower with more workers


def test_fit_amdahl_rejects_bad_input():
    with pytest.raises(ValueError):
        scaling.fit_amdahl([], [])
    with pytest.raises(ValueError):
        scaling.fit_amdahl([1, 2], [1.0])
    with pytest.raises(ValueError):
        scaling.fit_amdahl([1, 2], [1.0, 0.0])
    with pytest.raises(ValueError):
        scaling.fit_amdahl([1, 1], [1.0, 1.0])


@pytest.mark.parametrize("cores", [1, 2, 8, 16, 64])
def test_fit_amdahl_is_defined_on_any_core_count(cores):
    """Notebook 14's fixed pools of 1-4 workers, measured on ``cores`` usable cores: on one
    core nothing can be fitted (None, not an error); on more, the fit recovers p."""
    workers = [1, 2, 3, 4]
    measured = [scaling.amdahl(n, 0.9, cores) for n in workers]
    p = scaling.fit_amdahl(workers, measured, cores=cores)
    assert p is None if cores == 1 else p == pytest.approx(0.9)
    records = [r for w, s in zip(workers, measured, strict=True) for r in _timed(w, (1 / s,))]
    fig = scaling.plot_scaling(records, p, cores)
    assert len(fig.axes[0].lines) == (3 if p is None else 4)  # ideal, measured, cores (+ Amdahl)


def test_plot_scaling():
    records = _timed(1, (1.0,)) + _timed(2, (0.55,)) + _timed(3, (0.5,))
    fig = scaling.plot_scaling(records, 0.9, 2)
    assert len(fig.axes) == 2
    ideal = fig.axes[0].lines[0]
    assert list(ideal.get_ydata()) == [1, 2, 2]  # capped at the usable cores


class _FakeChild:
    def __init__(self, cmdline, error=None, pid=0):
        self._cmdline, self._error, self.pid = cmdline, error, pid

    def cmdline(self):
        if self._error:
            raise self._error
        return self._cmdline


NoSuchProcess = psutil.NoSuchProcess


def test_service_processes_are_not_counted():
    children = [
        _FakeChild(["python", "-c", "from multiprocessing.resource_tracker import main"]),
        _FakeChild(["python", "-c", "from multiprocessing.forkserver import main"]),
        _FakeChild(["python", "-c", "from multiprocessing.spawn import spawn_main"]),
        _FakeChild([], NoSuchProcess(1)),
    ]
    assert len(leaks.non_service_children(children)) == 1
    with pytest.raises(KeyError):
        leaks.non_service_children([_FakeChild([], KeyError("other"))])


def test_leftover_processes_counts_real_children():
    import subprocess

    before = leaks.leftover_processes()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert leaks.leftover_processes() == before + 1
    finally:
        child.kill()
        child.wait()
    assert leaks.leftover_processes() == before


def test_time_process_pools_interleaved():
    records = scaling.time_process_pools([1, 2], 4, 1_000, repeat=2)
    assert [(r.workers, r.round) for r in records] == [(1, 0), (2, 0), (2, 1), (1, 1)]
    assert all(r.seconds > 0 and r.way == "processes" for r in records)
    cores = cpus.usable_cpus()
    assert all(0 <= r.cores_busy <= 1.05 * cores + 0.1 for r in records)  # type: ignore[operator]
    assert all(r.idle_cores >= 0 and r.spare_cores >= 0 for r in records)  # type: ignore[operator]
    table = scaling.scaling_table(records)
    assert list(table.columns) == ["time", "speedup", "efficiency", "cores busy", "spare cores"]


@pytest.mark.parametrize(
    ("workers", "kwargs"),
    [([], {}), ([0], {}), ([2], {}), ([1], {"repeat": 0}), ([1], {"n": -1})],
)
def test_time_process_pools_rejects_bad_input(workers, kwargs):
    args = {"tasks": 1, "n": 1} | kwargs
    repeat = args.pop("repeat", 1)
    with pytest.raises(ValueError):
        scaling.time_process_pools(workers, args["tasks"], args["n"], repeat=repeat)


def _notebook_cell(notebook: str, cell_id: str) -> str:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    return "".join(next(c["source"] for c in cells if c.get("id") == cell_id))


def test_notebook_14s_local_cluster_is_quiet_and_leaves_nothing(tmp_path):
    """The Dask set-up written in notebook 14 (its dask_client()): no stderr, no leftovers,
    no dashboard, this machine only -- notebook outputs are compared, and Dask's logs (also
    from worker processes) would land in them."""
    import subprocess

    script = tmp_path / "quiet.py"
    script.write_text(
        "import logging\n"
        "from distributed import Client\n"
        "from helpers import leaks\n"
        "from helpers.experiments import scaling\n"
        "from helpers.workers import cpu\n"
        + _notebook_cell("14_scaling_up_and_out.ipynb", "cell-15")
        + "\nif __name__ == '__main__':\n"
        "    with dask_client() as client:\n"
        "        client.gather(client.map(cpu.cpu_task, [100_000] * 4, pure=False))\n"
        "        info = client.scheduler_info()\n"
        "        print(len(info['workers']), client.scheduler.address.startswith('tcp://127.0.0.1:'))\n"
        "        print('bokeh' in str(info.get('services', {})).lower())\n"
        "    print(leaks.leftover_processes())\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout == "2 True\nFalse\n0\n"
    assert done.stderr == ""


class _Started:
    closed = False

    def close(self):
        self.closed = True


def test_start_whole_holds_an_interrupt_until_started_then_closes():
    import os
    import signal

    started = _Started()

    def start():
        os.kill(os.getpid(), signal.SIGINT)  # Kernel -> Interrupt, during start-up
        time.sleep(0.05)  # the start-up goes on
        return started

    with pytest.raises(KeyboardInterrupt):
        scaling.start_whole(start)
    assert started.closed  # nothing left half-started
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_start_whole_passes_on_a_failed_start_as_the_interrupt_that_caused_it():
    import os
    import signal

    def start():
        os.kill(os.getpid(), signal.SIGINT)
        raise RuntimeError("Nanny failed to start.")  # as Dask's workers died of the signal

    with pytest.raises(KeyboardInterrupt):
        scaling.start_whole(start)
    with pytest.raises(RuntimeError):  # no interrupt: the failure itself
        scaling.start_whole(lambda: (_ for _ in ()).throw(RuntimeError("no")))


def test_start_whole_returns_what_started():
    started = _Started()
    assert scaling.start_whole(lambda: started) is started and not started.closed
    with pytest.raises(TypeError):
        scaling.start_whole(started)
