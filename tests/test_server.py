import http.client
import re
import socket
import threading
import time

import pytest
import requests

from helpers.demos.notice_server import NoticeServer, ServerStats, notice_id, notice_title


def raw_status(server: NoticeServer, data: bytes) -> int:
    """Send raw bytes on a fresh connection and return the answer's status code.

    Requests too broken to tell their HTTP version are answered HTTP/0.9 style: no status line,
    only the error page, which says "Error code: 400".
    """
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        answer = sock.makefile("rb").read()
    found = re.search(rb"^HTTP/1\.\d (\d{3})|Error code: (\d{3})", answer)
    assert found, answer
    return int(found.group(1) or found.group(2))


def test_index_links_every_notice_and_pages_are_served():
    with NoticeServer(3, latency=0) as server:
        index = requests.get(server.url, timeout=5)
        assert index.status_code == 200
        for k, url in enumerate(server.notice_urls):
            assert url.endswith(f"/notices/{notice_id(k)}.html")
            assert f'href="/notices/{notice_id(k)}.html"' in index.text
            page = requests.get(url, timeout=5)
            assert page.status_code == 200
            assert notice_title(k) in page.text
        assert server.stats == ServerStats(served=4, max_in_flight=1, connections=4)
        assert server.stats.requests == 4


def test_url_needs_a_running_server():
    with pytest.raises(RuntimeError):
        _ = NoticeServer().url


def test_pages_take_the_latency():
    with NoticeServer(1, latency=0.2) as server:
        start = time.perf_counter()
        requests.get(server.notice_urls[0], timeout=5).raise_for_status()
        assert time.perf_counter() - start >= 0.2


def test_session_reuses_one_connection():
    with NoticeServer(5, latency=0) as server, requests.Session() as session:
        for url in server.notice_urls:
            assert session.get(url, timeout=5).status_code == 200
        assert server.stats.connections == 1


def test_limit_answers_503_above_it_and_keeps_serving():
    n, limit = 6, 2
    with NoticeServer(n, latency=0.5, limit=limit) as server:
        statuses: list[int] = []
        lock = threading.Lock()

        def get(url: str) -> None:
            status = requests.get(url, timeout=5).status_code
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=get, args=(u,)) for u in server.notice_urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] * limit + [503] * (n - limit)
        stats = server.stats
        assert (stats.served, stats.unavailable, stats.max_in_flight) == (limit, n - limit, limit)
        assert requests.get(server.notice_urls[0], timeout=5).status_code == 200  # still serving


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing-here.html", 404),
        ("GET", "/notices/FN-99999.html", 404),
        ("POST", "/", 405),
        ("DELETE", "/notices/FN-70001.html", 405),
        ("BREW", "/", 405),
    ],
)
def test_unknown_requests_get_4xx_and_the_server_keeps_serving(method, path, status):
    with NoticeServer(1, latency=0) as server:
        answer = requests.request(method, server.url.rstrip("/") + path, timeout=5)
        assert answer.status_code == status
        if status == 405:
            assert answer.headers["Allow"] == "GET, HEAD"
        assert requests.get(server.notice_urls[0], timeout=5).status_code == 200
        assert server.stats.client_errors == 1
        assert server.stats.errors == 0


def test_head_answers_headers_only():
    with NoticeServer(1, latency=0) as server:
        answer = requests.head(server.notice_urls[0], timeout=5)
        assert answer.status_code == 200
        assert int(answer.headers["Content-Length"]) > 0
        assert answer.content == b""


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/1.x\r\n\r\n", 400),
        (b"GET / HTTP/1.1 extra words\r\n\r\n", 400),
    ],
)
def test_malformed_requests_get_4xx(data, status):
    with NoticeServer(1, latency=0) as server:
        assert raw_status(server, data) == status
        assert server.stats.client_errors == 1
        assert requests.get(server.url, timeout=5).status_code == 200


def test_stop_is_clean_even_with_open_and_busy_connections():
    before = threading.active_count()
    server = NoticeServer(2, latency=30).start()
    url = server.url
    port = int(url.rsplit(":", 1)[1].strip("/"))
    idle = socket.create_connection(("127.0.0.1", port))  # connected, never sends
    busy = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    busy.request("GET", "/notices/FN-70001.html")  # waits out the 30 s latency
    time.sleep(0.2)
    start = time.perf_counter()
    server.stop()
    assert time.perf_counter() - start < 5
    assert threading.active_count() == before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    server.stop()  # idempotent
    idle.close()
    busy.close()


def test_cannot_start_twice():
    with NoticeServer() as server, pytest.raises(RuntimeError):
        server.start()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"notices": 0}, ValueError),
        ({"notices": 10_000}, ValueError),
        ({"notices": "3"}, TypeError),
        ({"notices": True}, TypeError),
        ({"latency": -1}, ValueError),
        ({"latency": float("nan")}, ValueError),
        ({"latency": "0.1"}, TypeError),
        ({"limit": 0}, ValueError),
        ({"limit": 2.5}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        NoticeServer(**kwargs)
