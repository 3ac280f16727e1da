import os
from concurrent.futures import ProcessPoolExecutor

import psutil
import pytest

from helpers.experiments.memory import COLUMNS, each_worker, memory_table, plot_memory
from helpers.pools import make_pool, mp_context
from helpers.workers import introspect


def test_own_memory_is_measured_from_inside():
    me = introspect.own_memory()
    assert me["pid"] == os.getpid() and me["threads"] >= 1
    assert 0 < me["uss"] <= me["rss"]
    assert me["pss"] is None or me["uss"] <= me["pss"] <= me["rss"]


def test_table_of_this_process_and_a_worker():
    with ProcessPoolExecutor(max_workers=1, mp_context=mp_context()) as pool:
        worker = pool.submit(introspect.own_memory).result()
    table = memory_table({"parent": introspect.own_memory(), "worker": worker})
    assert list(table.columns) == COLUMNS
    assert list(table["process"]) == ["parent", "worker"]
    assert table["pid"].tolist() == [os.getpid(), worker["pid"]] and worker["pid"] != os.getpid()
    assert table["threads"][1] == 1  # a process pool's worker runs its tasks in one thread
    assert (table["uss_mb"] > 0).all()
    assert (table["rss_mb"] >= table["uss_mb"]).all()
    pss = table["pss_mb"]
    assert pss.isna().all() or ((pss >= table["uss_mb"]) & (pss <= table["rss_mb"])).all()


def test_each_worker_answers_once_without_reading_other_processes(monkeypatch):
    """As on macOS: psutil may not read another process (AccessDenied); nothing here needs to."""
    real = psutil.Process

    def only_self(pid=None):
        if pid is not None and pid != os.getpid():
            raise psutil.AccessDenied(pid)
        return real(pid)

    monkeypatch.setattr(psutil, "Process", only_self)  # this process; workers forked after it
    with make_pool("processes", 3, warm=True) as pool:
        answers = each_worker(pool, 3)
    assert len({a["pid"] for a in answers}) == 3
    assert os.getpid() not in {a["pid"] for a in answers}
    table = memory_table({f"worker {i}": a for i, a in enumerate(answers, 1)})
    assert (table["uss_mb"] > 0).all()


def test_each_worker_times_out_when_workers_share_a_process():
    with make_pool("threads", 2) as pool, pytest.raises(TimeoutError):
        each_worker(pool, 2, timeout=0.2)  # threads: one pid, never two answers


def test_plot_has_three_bars_per_process():
    table = memory_table({"parent": introspect.own_memory()})
    fig = plot_memory({"threads": table, "processes": table})
    assert len(fig.axes[0].patches) == 6


@pytest.mark.parametrize("bad", [{}, {"x": 0}, {"x": {"pid": 1}}, [("x", 1)]])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        memory_table(bad)


def test_plot_rejects_other_tables():
    with pytest.raises(ValueError):
        plot_memory({})
    with pytest.raises(ValueError):
        plot_memory({"x": memory_table({"p": introspect.own_memory()}).drop(columns="pid")})
