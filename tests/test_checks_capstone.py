"""The capstone's chaos server and grader: a naive client scores low, a polite one full marks."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from helpers.checks.capstone import (
    check_analysis,
    check_download,
    fetchable,
    grade,
    physical_best,
    total,
    words_by_product,
)
from helpers.demos.notice_server import Chaos, NoticeServer

PAGES, LIMIT, RATE, LATENCY = 40, 4, 25.0, 0.05


def naive(urls):
    """One thread per page, no retries: what the talk warned against."""
    pages = {}

    def get(url):
        try:
            answer = requests.get(url, timeout=10, proxies={"http": "", "https": ""})
        except requests.RequestException:
            return
        if answer.status_code == 200:
            pages[url] = answer.text

    threads = [threading.Thread(target=get, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return pages


def polite(urls):
    """A bounded pool, a shared pace, retries that honour Retry-After (the notebook's solution)."""
    lock, next_slot = threading.Lock(), [0.0]
    local = threading.local()

    def fetch(url):
        for attempt in range(3):
            with lock:
                now = time.monotonic()
                slot = next_slot[0] = max(now, next_slot[0]) + 1 / RATE
            time.sleep(max(0.0, slot - 1 / RATE - now))
            if not hasattr(local, "s"):
                local.s = requests.Session()
                local.s.trust_env = False
            try:
                answer = local.s.get(url, timeout=10)
            except requests.ConnectionError:
                answer = None
            if answer is not None and answer.status_code == 200:
                return answer.text
            if answer is not None and answer.status_code in (429, 503):
                time.sleep(float(answer.headers["Retry-After"]))
            else:
                time.sleep(0.05 * 2**attempt)
        return None

    with ThreadPoolExecutor(LIMIT) as pool:
        return {u: t for u, t in zip(urls, pool.map(fetch, urls), strict=True) if t is not None}


def score(client):
    with NoticeServer(PAGES, latency=LATENCY, limit=LIMIT, chaos=Chaos(rate=RATE)) as server:
        table = grade(server, client(server.notice_urls))
    return table, int(table["points"].sum())


def test_polite_client_scores_full_marks_and_naive_one_low():
    table, points = score(polite)
    assert points == 100, table
    table, points = score(naive)
    print("naive one-thread-per-page client:", total(table))
    assert points < 50, table
    assert table.loc["never above the concurrency limit", "points"] == 0


def test_a_client_that_does_nothing_scores_zero_without_raising(capsys):
    with NoticeServer(PAGES, latency=LATENCY, limit=LIMIT, chaos=Chaos(rate=RATE)) as server:
        assert check_download(server, ...) is False
        assert check_download(server, {}) is False
    out = capsys.readouterr().out
    assert "score: 0 / 100" in out and "No pages came back yet" in out


def test_chaos_rate_limit_reset_and_broken_pages():
    chaos = Chaos(rate=5.0, burst=3, reset_every=3, broken_every=4, slow_every=0)
    with NoticeServer(8, latency=0, chaos=chaos) as server, requests.Session() as s:
        s.trust_env = False
        urls = server.notice_urls
        statuses = [s.get(urls[0], timeout=5).status_code for _ in range(4)]  # 3 at once, then 5/s
        assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
        refused = [r for r in server.log if r.status == 429]
        time.sleep(1.0)  # refill
        with pytest.raises(requests.ConnectionError):
            s.get(urls[2], timeout=5)  # page 3: its first request is reset
        assert s.get(urls[2], timeout=5).status_code == 200
        assert s.get(urls[3], timeout=5).status_code == 500  # page 4 always fails
        assert len(fetchable(server)) == 6
    assert refused and all(r.path.endswith("FN-70001.html") for r in refused)
    assert [r.status for r in server.log][-3:] == [0, 200, 500]


def test_physical_best_counts_pages_limit_rate_and_resets():
    with NoticeServer(40, latency=0.1, limit=4, chaos=Chaos(rate=25.0)) as server:
        # 40 pages + 4 resets = 44 requests; 8 at once, then 25 a second: 1.44 s
        assert physical_best(server) == pytest.approx((44 - 8) / 25)
    with NoticeServer(8, latency=0.1, limit=2) as server:
        assert physical_best(server) == pytest.approx(0.4)


def test_check_analysis(capsys):
    pages = {"a": "<h1>Field Notice: FN - 1 - Example Switch - Bug - Fix</h1><p>two words</p>"}
    expected = words_by_product(pages)
    assert expected == {"Example Switch": 9}  # Field Notice FN Example Switch Bug Fix two words
    assert check_analysis(expected, pages) is True
    assert check_analysis({"Example Switch": 8}, pages) is False
    assert check_analysis(..., pages) is False
    assert check_analysis(["not", "a", "dict"], pages) is False
    assert "Not answered yet" in capsys.readouterr().out
