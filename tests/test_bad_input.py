"""Issue 5, bad input: public helpers reject bad arguments at once with a clear error.

One table across the helpers modules that validate: each call must raise TypeError (wrong type) or
ValueError (out of range) whose message names the offending argument, before any thread, process
or server is started. Helpers that don't validate yet are listed in the issue-5 report instead.
"""

import math

import pytest

from helpers import logs, pools, threadkit, timeline, timing
from helpers.demos import chess
from helpers.demos import notice_client as fetch
from helpers.demos import notice_server as server
from helpers.experiments import bench, scaling
from helpers.experiments import threads_vs_processes as speedup
from helpers.measure import Timed
from helpers.workers import cpu, spans

_THREADS = [Timed("threads", 2, 1.0)]  # a record to plot, for a bad `cores`
_DOC = {"python": "3", "cpus": 2, "results": "not a list"}

BAD_CALLS = [
    ("cpu.trivial_factoring", lambda: cpu.trivial_factoring(-5), ValueError, "n must"),
    ("cpu.trivial_factoring", lambda: cpu.trivial_factoring("9"), TypeError, "n must"),
    ("cpu.is_prime", lambda: cpu.is_prime(2.5), TypeError, "n must"),
    ("cpu.next_prime", lambda: cpu.next_prime(-3), ValueError, "n must"),
    ("cpu.products", lambda: cpu.products(-1, 7), ValueError, "count"),
    ("cpu.products", lambda: cpu.products(2, 0), ValueError, "smaller_factor"),
    ("chess.Exhibition", lambda: chess.Exhibition(boards=0), ValueError, "boards"),
    ("chess.Exhibition", lambda: chess.Exhibition(boards="3"), TypeError, "boards"),
    ("chess.Exhibition", lambda: chess.Exhibition(master_move=-1), ValueError, "master_move"),
    ("fetch.Downloader", lambda: fetch.Downloader(timeout=-1), ValueError, "timeout"),
    ("fetch.Downloader", lambda: fetch.Downloader(timeout="1"), TypeError, "timeout"),
    ("fetch.Downloader.get", lambda: fetch.Downloader().get(123), ValueError, "url"),
    ("server.NoticeServer", lambda: server.NoticeServer(notices=0), ValueError, "notices"),
    ("server.NoticeServer", lambda: server.NoticeServer(latency=-1), ValueError, "latency"),
    ("server.NoticeServer", lambda: server.NoticeServer(limit=0), ValueError, "limit"),
    ("cpu.timed_cpu_task", lambda: cpu.timed_cpu_task(-1), ValueError, "n must"),
    ("scaling.time_jobs", lambda: scaling.time_jobs(0, [(1, 1, 1)]), ValueError, "workers"),
    ("scaling.time_jobs", lambda: scaling.time_jobs(1, [(1, 1, 0)]), ValueError, "chunksize"),
    ("scaling.scaling_table", lambda: scaling.scaling_table([]), ValueError, "records"),
    ("pools.make_pool", lambda: pools.make_pool("bogus", 2), ValueError, "way"),
    ("pools.make_pool", lambda: pools.make_pool("threads", 0), ValueError, "workers"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(5, [1], [1]), TypeError, "fn"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, [1], [0]), ValueError, "workers"),
    ("threadkit.CallCounter", lambda: threadkit.CallCounter(5), TypeError, "fn"),
    ("spans.Span", lambda: spans.Span(5, "t", 1, 1.0, 2.0), ValueError, "label"),
    ("spans.Span", lambda: spans.Span("a", "t", 1, 2.0, 1.0), ValueError, "ends before"),
    ("logs.setup_logging", lambda: logs.setup_logging(level="x"), ValueError, "level"),
    ("timing.format_seconds", lambda: timing.format_seconds(math.nan), ValueError, "seconds"),
    # Issue 5 item 7 review: wrong types gave AttributeError/KeyError or named no argument.
    ("chess.one_board_at_a_time", lambda: chess.one_board_at_a_time(24), TypeError, "ex must"),
    ("chess.round_the_boards", lambda: chess.round_the_boards("talk"), TypeError, "ex must"),
    ("chess.hours", lambda: chess.hours([1.0]), TypeError, "tl must"),
    ("chess.hours", lambda: chess.hours(timeline.Timeline(t0=0.0)), ValueError, "tl has"),
    ("chess.plot_exhibition", lambda: chess.plot_exhibition([]), TypeError, "plans"),
    ("chess.plot_exhibition", lambda: chess.plot_exhibition({"a": 1}), TypeError, "tl must"),
    ("server.notice_id", lambda: server.notice_id(-1), ValueError, "k must"),
    ("server.notice_id", lambda: server.notice_id("1"), TypeError, "k must"),
    ("server.notice_title", lambda: server.notice_title("a"), TypeError, "k must"),
    ("server.notice_title", lambda: server.notice_title(-2), ValueError, "k must"),
    ("server.NoticeServer.page", lambda: server.NoticeServer().page(None), TypeError, "path"),
    ("fetch.notice_links", lambda: fetch.Downloader().notice_links(""), ValueError, "index_url"),
    ("cpu.cpu_timed", lambda: cpu.cpu_timed(5, 1), TypeError, "fn must"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, 5, [1]), TypeError, "tasks"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, [1], [3]), ValueError, "workers"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, [1], 2), TypeError, "workers"),
    (
        "speedup.speedup_sweep",
        lambda: speedup.speedup_sweep(abs, [1], [1], repeat=0),
        ValueError,
        "repeat must",
    ),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, "ab", [1]), TypeError, "tasks"),
    ("speedup.makespan", lambda: speedup.makespan([]), TypeError, "tl must"),
    ("speedup.plot_speedup", lambda: speedup.plot_speedup("x", 2), TypeError, "records must"),
    ("speedup.plot_speedup", lambda: speedup.plot_speedup([], 2), ValueError, "records hold"),
    ("speedup.plot_speedup", lambda: speedup.plot_speedup(_THREADS, 0), ValueError, "cores must"),
    ("bench.format_table", lambda: bench.format_table("x"), TypeError, "document must"),
    ("bench.format_table", lambda: bench.format_table({}), ValueError, "document is missing"),
    (
        "bench.format_table",
        lambda: bench.format_table({"python": "3", "cpus": 2, "results": [{"workers": 1}]}),
        ValueError,
        "document['results']",
    ),
    ("bench.format_table", lambda: bench.format_table(_DOC), TypeError, "document['results']"),
    ("bench.targets", lambda: bench.targets(None), TypeError, "results must"),
    ("bench.targets", lambda: bench.targets([{"speedup": 1}]), TypeError, "results must"),
    ("bench.report", lambda: bench.report(5), TypeError, "results must"),
    ("bench.run_io", lambda: bench.run_io(0), ValueError, "tasks must"),
    ("bench.run_io", lambda: bench.run_io(1001), ValueError, "tasks must be <= 1000"),
    ("bench.run_io", lambda: bench.run_io(2, workers=2), TypeError, "workers must"),
    ("bench.run_cpu", lambda: bench.run_cpu(2, 1000, workers=(0,)), ValueError, "workers must"),
    ("bench.run_cpu", lambda: bench.run_cpu("2", 1000), TypeError, "tasks must"),
    ("timeline.Timeline", lambda: timeline.Timeline(t0="x"), TypeError, "t0 must"),
    ("timeline.Timeline", lambda: timeline.Timeline(t0=True), TypeError, "t0 must"),
]


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [(call, error, names) for _, call, error, names in BAD_CALLS],
    ids=[f"{name}-{i}" for i, (name, *_) in enumerate(BAD_CALLS)],
)
def test_bad_argument_is_rejected_with_a_clear_error(call, error, names):
    with pytest.raises(error) as caught:
        call()
    assert names in str(caught.value), f"the message should name {names!r}: {caught.value}"
