import sys
import time

import psutil
import pytest

from helpers import cpus, leaks, measure, pools
from helpers.experiments import scaling
from helpers.workers import cpu


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


def test_time_process_pool_and_speedups():
    runs = [scaling.time_process_pool(w, 4, 1_000, repeat=2) for w in (1, 2)]
    assert [r.workers for r in runs] == [1, 2]
    assert all(r.elapsed > 0 and r.tasks == 4 and r.n == 1_000 for r in runs)
    speedups = scaling.speedups(runs)
    assert speedups[0] == 1.0
    table = scaling.scaling_table(runs)
    assert list(table.columns) == ["time", "speedup", "efficiency"]
    assert table.index.tolist() == [1, 2]


def test_time_process_pool_chunksize():
    assert scaling.time_process_pool(1, 10, 10, chunksize=5).tasks == 10


@pytest.mark.parametrize(
    "kwargs", [{"workers": 0}, {"tasks": 0}, {"n": -1}, {"chunksize": 0}, {"repeat": 0}]
)
def test_time_process_pool_rejects_bad_input(kwargs):
    args = {"workers": 1, "tasks": 1, "n": 1} | kwargs
    chunk = {k: args.pop(k) for k in ("chunksize", "repeat") if k in args}
    with pytest.raises(ValueError):
        scaling.time_process_pool(args["workers"], args["tasks"], args["n"], **chunk)


def test_time_jobs_one_pool_many_cuts():
    runs = scaling.time_jobs(2, [(4, 100, 1), (40, 10, 10)], repeat=2)
    assert [(r.workers, r.tasks, r.n) for r in runs] == [(2, 4, 100), (2, 40, 10)]
    assert all(r.cpu is not None and r.cpu >= 0 for r in runs)


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
        scaling.time_jobs(2, [(1, 1, 0)])


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


def test_speedups_pair_rounds():
    runs = [
        scaling.Run(1, 4, 10, 1.0, rounds=(1.0, 3.0, 1.2)),
        scaling.Run(2, 4, 10, 0.5, rounds=(0.5, 3.0, 0.6)),
    ]
    # round by round: 2.0, 1.0, 2.0 -> median 2.0 (best times alone would say 2.0 as well)
    assert scaling.speedups(runs) == [1.0, 2.0]
    unpaired = [scaling.Run(1, 4, 10, 1.0), scaling.Run(2, 4, 10, 0.4, rounds=(0.4,))]
    assert scaling.speedups(unpaired) == [1.0, 2.5]


def test_speedups_need_a_one_worker_baseline():
    with pytest.raises(ValueError):
        scaling.speedups([])
    with pytest.raises(ValueError):
        scaling.speedups([scaling.Run(2, 1, 1, 1.0)])


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


def test_plot_scaling():
    runs = [scaling.Run(1, 4, 10, 1.0), scaling.Run(2, 4, 10, 0.55), scaling.Run(3, 4, 10, 0.5)]
    fig = scaling.plot_scaling(runs, 0.9, 2)
    assert len(fig.axes) == 2


class _FakeChild:
    def __init__(self, cmdline, error=None):
        self._cmdline, self._error = cmdline, error

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


def test_dask_client_local_cluster_without_dashboard_or_leftovers():
    with scaling.dask_client(n_workers=1) as client:
        assert client.submit(cpu.cpu_task, 10).result() == cpu.cpu_task(10)
        info = client.scheduler_info()
        assert len(info["workers"]) == 1
        assert "bokeh" not in str(info.get("services", {})).lower()
        address = client.scheduler.address
        assert address.startswith("tcp://127.0.0.1:")
    assert leaks.leftover_processes() == 0


def test_dask_client_rejects_bad_input():
    with pytest.raises(ValueError), scaling.dask_client(""):
        pass
    with pytest.raises(ValueError), scaling.dask_client(n_workers=0):
        pass


def test_time_process_pools_interleaved():
    runs = scaling.time_process_pools([1, 2], 4, 1_000, repeat=2)
    assert [(r.workers, r.tasks, r.n) for r in runs] == [(1, 4, 1_000), (2, 4, 1_000)]
    assert all(r.elapsed > 0 and len(r.rounds) == 2 and r.elapsed == min(r.rounds) for r in runs)
    cores = cpus.usable_cpus()
    assert all(0 <= r.cores_busy <= 1.05 * cores + 0.1 for r in runs)  # type: ignore[operator]
    assert all(r.idle_cores >= 0 for r in runs)  # type: ignore[operator]  # 10 ms ticks: no cap
    table = scaling.scaling_table(runs)
    assert list(table.columns) == ["time", "speedup", "efficiency", "cores busy", "cores idle"]


@pytest.mark.parametrize(
    ("workers", "kwargs"), [([], {}), ([0], {}), ([1], {"repeat": 0}), ([1], {"n": -1})]
)
def test_time_process_pools_rejects_bad_input(workers, kwargs):
    args = {"tasks": 1, "n": 1} | kwargs
    repeat = args.pop("repeat", 1)
    with pytest.raises(ValueError):
        scaling.time_process_pools(workers, args["tasks"], args["n"], repeat=repeat)


def test_dask_local_cluster_writes_nothing_to_stderr(tmp_path):
    """Notebook outputs are compared: Dask's logs (also from worker processes) must stay quiet."""
    import subprocess

    script = tmp_path / "quiet.py"
    script.write_text(
        "from helpers import leaks\n"
        "from helpers.experiments import scaling\n"
        "from helpers.workers import cpu\n"
        "if __name__ == '__main__':\n"
        "    with scaling.dask_client(None) as client:\n"
        "        client.gather(client.map(cpu.cpu_task, [100_000] * 4, pure=False))\n"
        "    print(leaks.leftover_processes())\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout == "0\n"
    assert done.stderr == ""
