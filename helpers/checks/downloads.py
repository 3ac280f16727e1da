"""Checks for the "Your turn" exercises of notebook 08 (downloads with threads)."""

from __future__ import annotations

from typing import Any

from helpers.checks import not_answered, report


def check_three_workers(results: Any, sessions: Any, max_in_flight: Any, notices: int = 12) -> bool:
    """Every notice fetched by a pool of three threads, each with its own Session.

    Right: one result per notice, all with status 200; four Sessions (one per pool thread, and
    the main thread's for the index page); and never more than three requests in flight.
    """
    if not_answered(results):
        return False
    try:
        statuses = [getattr(r, "status", None) for r in results]
    except TypeError:  # not iterable
        statuses = []
    return report(
        [
            (
                len(statuses) == notices and all(s == 200 for s in statuses),
                f"{notices} pages, all with status 200",
                f"results should hold {notices} downloads with status 200, not {results!r:.80}: "
                "collect list(pool.map(downloader.get, urls))",
            ),
            (
                not isinstance(sessions, bool) and sessions == 4,
                "4 Sessions: one per pool thread, and the main thread's for the index page",
                f"{sessions!r} Sessions, not 4: did the pool have max_workers=3, and did every "
                "request go through downloader.get?",
            ),
            (
                not isinstance(max_in_flight, bool) and max_in_flight == 3,
                "at most 3 requests in flight: max_workers caps the load on the server",
                f"the server saw {max_in_flight!r} requests in flight at most, not 3: use "
                "ThreadPoolExecutor(max_workers=3)",
            ),
        ]
    )
