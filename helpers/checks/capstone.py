"""The capstone's grader: what the learner's client did, scored from the server's log.

The chaos server (:class:`helpers.demos.notice_server.Chaos`) logs every request. The score table
turns that log into five criteria a polite, fast client meets: every page that can be fetched was
fetched; the concurrency limit was never exceeded (no 503); ``Retry-After`` was honoured (a page
asked again only after the wait the server named); no page was downloaded twice; and the wall time
is close to the physical best. The last four count in proportion to the pages fetched: doing
nothing is not polite, only idle. The analysis part is checked against the course's own count.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import pandas as pd

from helpers.checks import not_answered, report
from helpers.demos.notice_server import NOTICE_PREFIX, NoticeServer

POINTS = {"fetched": 40, "limit": 15, "retry_after": 15, "once": 15, "time": 15}
TOLERANCE = 0.02  # seconds: the server's clock and the client's wait are not one instant
# Time marks: full up to 4x the physical best, half up to 8x, none beyond. Steps, not a slope:
# the same client on a busier machine keeps its score.
TIME_STEPS = ((4.0, 1.0), (8.0, 0.5))
WORD = re.compile(r"[A-Za-z]+")


def _notice_paths(server: NoticeServer) -> list[str]:
    return [url[len(server.url.rstrip("/")) :] for url in server.notice_urls]


def fetchable(server: NoticeServer) -> list[str]:
    """The notice URLs that can be fetched at all (the broken ones always fail)."""
    chaos = server.chaos
    return [
        url
        for k, url in enumerate(server.notice_urls)
        if chaos is None or not chaos.hits(chaos.broken_every, k)
    ]


def physical_best(server: NoticeServer) -> float:
    """The least wall time any client needs for every fetchable page, in seconds.

    At most ``limit`` pages at once, each ``latency`` long (slow pages longer), and no faster than
    the rate limit lets requests in: every page asked once, and the pages whose first request is
    reset asked twice.
    """
    pages = len(fetchable(server))
    limit = server.limit or pages
    best = math.ceil(pages / limit) * server.latency
    chaos = server.chaos
    if chaos is not None:
        resets = sum(chaos.hits(chaos.reset_every, k) for k in range(server.notices))
        requests = server.notices + resets
        best = max(best, (requests - chaos.burst) / chaos.rate, server.latency * chaos.slow_factor)
    return best


def grade(server: NoticeServer, pages: Any) -> pd.DataFrame:
    """The score table of a client that returned ``pages`` (``{url: text}``) from ``server``."""
    if not isinstance(server, NoticeServer):
        raise TypeError(f"server must be the NoticeServer, not {type(server).__name__}")
    pages = pages if isinstance(pages, Mapping) else {}
    wanted = fetchable(server)
    base = server.url.rstrip("/")
    right = sum(
        1
        for url in wanted
        if isinstance(pages.get(url), str)
        and pages[url] == (server.page(url[len(base) :]) or b"").decode()
    )
    log = [r for r in server.log if r.path.startswith(NOTICE_PREFIX)]
    refused = sum(r.status == HTTPStatus.SERVICE_UNAVAILABLE for r in log)
    early = _early_retries(log, server)
    twice = sum(n > 1 for n in Counter(r.path for r in log if r.status == HTTPStatus.OK).values())
    elapsed = max(r.end for r in log) - min(r.start for r in log) if log else math.inf
    best = physical_best(server)
    ratio = elapsed / best
    time_share = next((share for most, share in TIME_STEPS if ratio <= most), 0.0)
    rows = [
        (
            "every page that can be fetched",
            f"{right} of {len(wanted)}",
            right / len(wanted),
            "fetched",
        ),
        ("never above the concurrency limit", f"{refused} answers 503", refused == 0, "limit"),
        ("Retry-After honoured", f"{early} early retries", early == 0, "retry_after"),
        ("no page downloaded twice", f"{twice} pages twice", twice == 0, "once"),
        (
            "wall time near the physical best",
            f"{elapsed:.2f}s, best {best:.2f}s",
            time_share,
            "time",
        ),
    ]
    share = right / len(wanted)  # politeness and speed count as much as the work done
    rows = [(c, m, s if k == "fetched" else float(s) * share, k) for c, m, s, k in rows]
    table = pd.DataFrame(
        [
            {"criterion": c, "measured": m, "points": round(POINTS[k] * float(s)), "of": POINTS[k]}
            for c, m, s, k in rows
        ]
    )
    return table.set_index("criterion")


def _took(elapsed: float, best: float) -> str:
    took = "no requests" if math.isinf(elapsed) else f"{elapsed:.2f}s"
    return f"{took}, best {best:.2f}s"


def _early_retries(log: list[Any], server: NoticeServer) -> int:
    """Requests for a page that came sooner than the Retry-After of its last refusal."""
    chaos = server.chaos
    waits = {HTTPStatus.SERVICE_UNAVAILABLE: 1, HTTPStatus.TOO_MANY_REQUESTS: 0}
    if chaos is not None:
        waits[HTTPStatus.TOO_MANY_REQUESTS] = chaos.retry_after
    not_before: dict[str, float] = {}
    early = 0
    for request in sorted(log, key=lambda r: r.start):
        if request.start < not_before.get(request.path, -math.inf) - TOLERANCE:
            early += 1
        if request.status in waits:
            not_before[request.path] = request.end + waits[request.status]
    return early


def check_download(server: NoticeServer, pages: Any) -> bool:
    """Print the score table as lines (each criterion, what was measured, the points) and the
    total; True for full marks. Never raises: a starter that returns nothing scores 0."""
    if not isinstance(pages, Mapping) or not pages:
        print("No pages came back yet: write download_all in the cell above, then run it again.")
    table = grade(server, pages)
    for criterion, row in table.iterrows():
        mark = "✓" if row["points"] == row["of"] else "✗"
        print(f"{mark} {criterion}: {row['measured']} ({row['points']} of {row['of']} points)")
    print(total(table))
    return bool(table["points"].sum() == table["of"].sum())


def total(table: pd.DataFrame) -> str:
    """``"score: 87 / 100"``, from :func:`grade`'s table."""
    return f"score: {int(table['points'].sum())} / {int(table['of'].sum())}"


def words_by_product(pages: Mapping[str, str]) -> dict[str, int]:
    """The course's own analysis: words in each notice, summed per product.

    A notice's product is the third " - " part of its ``<h1>`` title; its words are the runs of
    ASCII letters left when the HTML tags are removed (title included).
    """
    counts: Counter[str] = Counter()
    for text in pages.values():
        title = re.search(r"<h1>(.*?)</h1>", text)
        if title is None:
            continue
        product = title.group(1).split(" - ")[2]
        body = re.sub(r"<[^>]+>", " ", text)
        counts[product] += len(WORD.findall(body))
    return dict(sorted(counts.items()))


def check_analysis(answer: Any, pages: Mapping[str, str]) -> bool:
    """Does the learner's script's result, ``{product: words}``, match the course's count?"""
    if not_answered(answer):
        return False
    expected = words_by_product(pages)
    if not isinstance(answer, Mapping):
        return report(
            [(False, "", f"expected a dict of product -> words, got {type(answer).__name__}")]
        )
    got = {str(k): v for k, v in answer.items()}
    missing = sorted(set(expected) - set(got))
    wrong = sorted(p for p in expected if p in got and got[p] != expected[p])
    return report(
        [
            (not missing, f"all {len(expected)} products counted", f"products missing: {missing}"),
            (
                not wrong,
                f"word counts match for every product ({sum(expected.values())} words)",
                f"counts differ for {wrong}: expected {[expected[p] for p in wrong]}",
            ),
        ]
    )
