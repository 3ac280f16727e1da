import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from helpers.demos.notice_client import (
    CISCO_FIELD_NOTICES_URL,
    Downloader,
    Fetched,
    NoticeLink,
    UnreachableURLError,
    notice_name,
    parse_notice_links,
    results_table,
)
from helpers.demos.notice_server import NoticeServer, notice_title

# The shape of the talk's cisco.com page (from the comment in its demo 11), plus other links.
TALK_SHAPED_PAGE = """
<p><a href="/">Home</a></p>
<ul class="doc-sublist">
  <li><a href="/c/en/us/support/docs/field-notices/632/fn63208.html"><span
  class='most_recent_link_title'>Contact Center:Field Notice: FN - 63208 - Cisco Interaction
  Manager 4.2(5) upgrade fails</span></a>
  <span class="most_recent_link_date">Updated&nbsp;30-Jun-2020</span><br /></li>
  <li><a href="https://example.org/x.html"><span class="other">not a notice</span></a></li>
</ul>
"""


def test_parser_finds_talk_shaped_links_and_skips_others():
    links = parse_notice_links(TALK_SHAPED_PAGE, CISCO_FIELD_NOTICES_URL)
    assert links == [
        NoticeLink(
            "https://www.cisco.com/c/en/us/support/docs/field-notices/632/fn63208.html",
            "Contact Center:Field Notice: FN - 63208 - Cisco Interaction Manager 4.2(5) "
            "upgrade fails",
        )
    ]


def test_parser_reads_the_local_server_index():
    with NoticeServer(4, latency=0) as server, Downloader() as downloader:
        links = downloader.notice_links(server.url)
        assert [link.url for link in links] == server.notice_urls
        assert [link.title for link in links] == [notice_title(k) for k in range(4)]


def test_notice_name():
    assert notice_name("http://127.0.0.1:80/notices/FN-70001.html") == "FN-70001"
    assert notice_name(CISCO_FIELD_NOTICES_URL) == "tsd-products-field-notice-summary"
    with pytest.raises(ValueError):
        notice_name("")
    with pytest.raises(ValueError):
        notice_name("http://127.0.0.1/")


def test_get_returns_status_and_size_and_never_raises_for_http_errors():
    with NoticeServer(2, latency=0, limit=1) as server, Downloader() as downloader:
        ok = downloader.get(server.notice_urls[1])
        assert (ok.notice, ok.status) == ("FN-70002", 200)
        assert ok.bytes > 100
        missing = downloader.get(server.url + "notices/FN-1.html")
        assert (missing.notice, missing.status) == ("FN-1", 404)


def test_one_session_and_connection_per_thread():
    with NoticeServer(8, latency=0.2) as server, Downloader() as downloader:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(downloader.get, server.notice_urls))
        assert [r.status for r in results] == [200] * 8
        assert downloader.sessions_created == 4
        assert server.stats.connections == 4
        assert downloader.session() is downloader.session()  # same thread, same Session
    assert downloader.sessions_created == 5


def test_a_closed_downloader_makes_no_new_sessions():
    downloader = Downloader()
    downloader.close()
    with pytest.raises(RuntimeError):
        downloader.session()
    t = threading.Thread(target=downloader.close)
    t.start()
    t.join()


def test_results_table():
    df = results_table([Fetched("FN-1", 200, 10, "u1"), Fetched("FN-2", 503, 5, "u2")])
    assert list(df.columns) == ["notice", "status", "bytes"]
    assert df.to_dict("list") == {
        "notice": ["FN-1", "FN-2"],
        "status": [200, 503],
        "bytes": [10, 5],
    }
    assert results_table([]).empty
    with pytest.raises(TypeError):
        results_table([("FN-1", 200, 10)])


@pytest.mark.parametrize(
    ("timeout", "error"), [(0, ValueError), ("1", TypeError), (True, TypeError)]
)
def test_bad_timeout(timeout, error):
    with pytest.raises(error):
        Downloader(timeout=timeout)


def test_parse_rejects_non_strings():
    with pytest.raises(TypeError):
        parse_notice_links(b"<a></a>", "http://x/")


def _closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port the OS just handed out, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/notices/FN-70001.html"


@pytest.mark.parametrize("method", ["get", "notice_links"])
def test_unreachable_url_raises_a_clear_error_naming_it(method):
    url = _closed_port_url()
    with Downloader(timeout=5) as downloader, pytest.raises(UnreachableURLError) as caught:
        getattr(downloader, method)(url)
    assert url in str(caught.value)
    assert isinstance(caught.value.__cause__, requests.ConnectionError)  # chained with `from`
    assert isinstance(caught.value, requests.ConnectionError)  # old `except` clauses still work


# --- Proxies (issue 10.5): the demo server is reached directly, other sites through the proxy ---
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port on loopback: nothing listens, never leaves


def _set_proxy(monkeypatch: pytest.MonkeyPatch, proxy: str) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


class _RecordingProxy:
    """A stand-in HTTP proxy on 127.0.0.1 that answers every request and records its target."""

    def __init__(self) -> None:
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)  # a proxy is sent the absolute URL
                body = b"<html>from the proxy</html>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="recording-proxy")

    def __enter__(self) -> "_RecordingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def test_the_dead_proxy_really_breaks_a_plain_session(monkeypatch):
    # The control: without the course's handling, requests sends 127.0.0.1 to the proxy.
    _set_proxy(monkeypatch, DEAD_PROXY)
    with (
        NoticeServer(1, latency=0) as server,
        requests.Session() as session,
        pytest.raises(requests.exceptions.ProxyError),
    ):
        session.get(server.url, timeout=5)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_demo_server_is_reached_past_a_dead_proxy(monkeypatch, host):
    _set_proxy(monkeypatch, DEAD_PROXY)
    with NoticeServer(3, latency=0) as server, Downloader(timeout=5) as downloader:
        index = server.url.replace("127.0.0.1", host)
        links = downloader.notice_links(index)
        assert [link.title for link in links] == [notice_title(k) for k in range(3)]
        assert [downloader.get(link.url).status for link in links] == [200, 200, 200]
        # Notebook 08 also calls the thread's Session directly.
        assert downloader.session().get(index, timeout=5).status_code == 200
        with ThreadPoolExecutor(max_workers=2) as pool:
            assert {r.status for r in pool.map(downloader.get, server.notice_urls)} == {200}


def test_other_sites_still_go_through_the_proxy(monkeypatch):
    with _RecordingProxy() as proxy, NoticeServer(1, latency=0) as server:
        _set_proxy(monkeypatch, proxy.url)
        with Downloader(timeout=5) as downloader:
            remote = downloader.get("http://notices.example/notices/FN-70001.html")
            local = downloader.get(server.notice_urls[0])
        assert (remote.status, remote.bytes) == (200, len(b"<html>from the proxy</html>"))
        assert local.status == 200
        assert proxy.seen == ["http://notices.example/notices/FN-70001.html"]  # not the local one
