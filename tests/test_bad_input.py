"""Issue 5, bad input: public helpers reject bad arguments at once with a clear error.

One table across the helpers modules that validate: each call must raise TypeError (wrong type) or
ValueError (out of range) whose message names the offending argument, before any thread, process
or server is started. Helpers that don't validate yet are listed in the issue-5 report instead.
"""

import math

import pytest

from helpers import chess, cpu, fetch, logs, scaling, server, speedup, tasks, timeline, timing

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
    ("scaling.timed_cpu_task", lambda: scaling.timed_cpu_task(-1), ValueError, "n must"),
    (
        "scaling.time_process_pool",
        lambda: scaling.time_process_pool(0, 1, 1),
        ValueError,
        "workers",
    ),
    (
        "scaling.time_process_pool",
        lambda: scaling.time_process_pool(1, 1, 1, chunksize=0),
        ValueError,
        "chunksize",
    ),
    ("scaling.scaling_table", lambda: scaling.scaling_table([]), ValueError, "runs"),
    ("speedup.make_pool", lambda: speedup.make_pool("bogus", 2), ValueError, "strategy"),
    ("speedup.make_pool", lambda: speedup.make_pool("threads", 0), ValueError, "workers"),
    ("speedup.run_sequential", lambda: speedup.run_sequential(5, [1]), TypeError, "fn"),
    ("speedup.speedup_sweep", lambda: speedup.speedup_sweep(abs, [1], [0]), ValueError, "workers"),
    ("tasks.CallCounter", lambda: tasks.CallCounter(5), TypeError, "fn"),
    ("timeline.Span", lambda: timeline.Span(5, "t", 1, 1.0, 2.0), ValueError, "label"),
    ("timeline.Span", lambda: timeline.Span("a", "t", 1, 2.0, 1.0), ValueError, "ends before"),
    ("logs.setup_logging", lambda: logs.setup_logging(level="x"), ValueError, "level"),
    ("timing.format_seconds", lambda: timing.format_seconds(math.nan), ValueError, "seconds"),
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
