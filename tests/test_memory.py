import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from helpers.experiments.memory import COLUMNS, memory_table, plot_memory
from helpers.pools import mp_context
from helpers.workers import waits


def test_table_of_this_process_and_a_worker():
    with ProcessPoolExecutor(max_workers=1, mp_context=mp_context()) as pool:
        pid = pool.submit(os.getpid).result()
        table = memory_table({"parent": os.getpid(), "worker": pid})
    assert list(table.columns) == COLUMNS
    assert list(table["process"]) == ["parent", "worker"]
    assert (table["uss_mb"] > 0).all()
    assert (table["rss_mb"] >= table["uss_mb"]).all()
    pss = table["pss_mb"]
    assert pss.isna().all() or ((pss >= table["uss_mb"]) & (pss <= table["rss_mb"])).all()
    assert waits.wait_some_time(0) == 0


def test_plot_has_three_bars_per_process():
    table = memory_table({"parent": os.getpid()})
    fig = plot_memory({"threads": table, "processes": table})
    assert len(fig.axes[0].patches) == 6


@pytest.mark.parametrize("bad", [{}, {"x": 0}, {"x": "1"}, {"x": True}, [("x", 1)]])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        memory_table(bad)


def test_plot_rejects_other_tables():
    with pytest.raises(ValueError):
        plot_memory({})
    with pytest.raises(ValueError):
        plot_memory({"x": memory_table({"p": os.getpid()}).drop(columns="pid")})
