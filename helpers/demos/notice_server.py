"""A small local web server standing in for the talk's Cisco field-notice site.

The talk's demo 11 downloads field notices from cisco.com. A notebook cannot depend on the
internet, on that site's layout or on its response times, so the I/O demos run against this
server instead: an index page links ``notices`` notice pages (``/notices/FN-70001.html``, ...),
each answered after ``latency`` seconds, and at most ``limit`` requests are worked on at once;
any request above the limit is answered at once with ``503 Service Unavailable`` -- the talk's
"too many threads -> server errors", for real. Stdlib only (``ThreadingHTTPServer``), bound to
127.0.0.1 on a port the operating system picks, stopped cleanly by its context manager.

With ``chaos=Chaos(...)`` it behaves like a busy real site, for the capstone project: a rate
limit answered with ``429 Too Many Requests`` and ``Retry-After``, slow pages, connections reset
on a page's first request, pages that always fail with ``500``. It keeps a log of every request
(:class:`Request`) so that a grader can tell what the client did.
"""

from __future__ import annotations

import contextlib
import html
import math
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from helpers import _validate

HOST = "127.0.0.1"
FIRST_NOTICE = 70001
MAX_NOTICES = 1000
NOTICE_PREFIX = "/notices/"

# Fictional notices in the style of the real ones: "product - problem - what to do".
_PRODUCTS = (
    "Example Switch 9300",
    "Example Router 1000",
    "Example Firewall 2100",
    "Example Room Kit",
    "Example Access Point 9100",
    "Example Wireless Controller 5500",
)
_PROBLEMS = (
    "Memory Leak After Extended Uptime",
    "Device Might Not Boot After a Power Cycle",
    "Certificate Expiration Causes Failed Connections",
    "Fan Tray Failure Reported Incorrectly",
    "Upgrade Fails Because of Insufficient Flash Space",
)
_ACTIONS = (
    "Software Upgrade Recommended",
    "Hardware Replacement Recommended",
    "Workaround Provided",
)


def notice_id(k: int) -> str:
    """Identifier of the ``k``-th notice (from 0): ``FN-70001``, ``FN-70002``, ..."""
    _validate.integer(k, "k", 0)
    return f"FN-{FIRST_NOTICE + k}"


def notice_title(k: int) -> str:
    """Title of the ``k``-th notice, shaped like the talk's: ``Field Notice: FN - 70001 - ...``."""
    _validate.integer(k, "k", 0)
    product = _PRODUCTS[k % len(_PRODUCTS)]
    problem = _PROBLEMS[k % len(_PROBLEMS)]
    action = _ACTIONS[k % len(_ACTIONS)]
    return f"Field Notice: FN - {FIRST_NOTICE + k} - {product} - {problem} - {action}"


@dataclass(frozen=True)
class Chaos:
    """How a busy real site misbehaves; which pages are hit is fixed by the page number.

    ``rate``/``burst``: at most ``rate`` requests a second on average, ``burst`` at once; more
    are answered ``429`` with ``Retry-After: retry_after`` (seconds). Every ``slow_every``-th
    page takes ``slow_factor`` times the latency; every ``reset_every``-th page has its first
    request's connection reset (no answer); every ``broken_every``-th page always answers
    ``500``. 0 switches a kind of trouble off.
    """

    rate: float = 25.0
    burst: int = 8
    retry_after: int = 1
    slow_every: int = 7
    slow_factor: float = 4.0
    reset_every: int = 9
    broken_every: int = 19

    def __post_init__(self) -> None:
        _validate.positive(self.rate, "rate")
        _validate.integer(self.burst, "burst", 1)
        _validate.integer(self.retry_after, "retry_after", 0)
        _validate.number(self.slow_factor, "slow_factor")
        for name in ("slow_every", "reset_every", "broken_every"):
            _validate.integer(getattr(self, name), name, 0)

    def hits(self, every: int, k: int) -> bool:
        """True if page ``k`` (from 0) is one of every ``every``-th pages (never if 0)."""
        return every > 0 and (k + 1) % every == 0


@dataclass(frozen=True)
class Request:
    """One request as the server saw it: when it came and ended, the page, the answer."""

    start: float  # time.monotonic()
    end: float
    path: str
    status: int  # 0: connection reset, no answer
    in_flight: int  # requests being worked on when it arrived, itself included


@dataclass(frozen=True)
class ServerStats:
    """What the server has seen so far (a snapshot).

    ``served``: 200 answers; ``unavailable``: 503 answers (over the limit); ``client_errors``:
    4xx answers (unknown path, bad method, malformed request); ``max_in_flight``: most requests
    worked on at once; ``connections``: TCP connections accepted (few when clients keep them
    alive); ``errors``: exceptions while handling a connection (0 unless something is wrong).
    """

    served: int = 0
    unavailable: int = 0
    client_errors: int = 0
    max_in_flight: int = 0
    connections: int = 0
    errors: int = 0

    @property
    def requests(self) -> int:
        """All answered requests."""
        return self.served + self.unavailable + self.client_errors


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the index and the notice pages; 404 or 405 for anything else."""

    protocol_version = "HTTP/1.1"  # keep-alive: a client's Session reuses its connection
    server_version = "NoticeServer/1.0"
    timeout = 60  # a connection idle this long is closed (stop() closes them all anyway)
    # Headers and body are two writes: without TCP_NODELAY, Nagle's algorithm holds the body
    # back until the client's delayed ACK (~40 ms), which would swamp a 100 ms latency.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def __getattr__(self, name: str) -> Any:
        # BaseHTTPRequestHandler dispatches to do_<METHOD>; any method but GET and HEAD gets 405
        # (the base class would answer 501, a server error, to methods it has no do_ for).
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _method_not_allowed(self) -> None:
        self._count_client_error()
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD are allowed.", allow=True)

    def _answer(self, *, head: bool) -> None:
        site = self.server.site
        path = urlsplit(self.path).path
        page = site.page(path)
        if page is None:
            self._count_client_error()
            self._send(HTTPStatus.NOT_FOUND, f"No page at {html.escape(self.path)}.", head=head)
            return
        start, in_flight = time.monotonic(), site._enter()
        try:
            status = self._wait_for_answer(site, path, admitted=in_flight > 0)
        finally:
            if in_flight:  # free the slot before answering: the client's next request fits
                site._leave()
        self._respond(status, page, head=head)
        site._record(Request(start, time.monotonic(), path, status, in_flight))

    def _wait_for_answer(self, site: NoticeServer, path: str, *, admitted: bool) -> int:
        """Decide the answer to one page request, taking its latency; 0: reset, no answer."""
        if not admitted:
            return HTTPStatus.SERVICE_UNAVAILABLE
        trouble = site._trouble(path)
        if trouble == "rate":
            return HTTPStatus.TOO_MANY_REQUESTS
        slow = site.chaos.slow_factor if trouble == "slow" else 1
        if site._stopping.wait(site.latency * slow) or trouble == "reset":
            return 0
        return HTTPStatus.INTERNAL_SERVER_ERROR if trouble == "broken" else HTTPStatus.OK

    def _respond(self, status: int, page: bytes, *, head: bool) -> None:
        """Send the answer decided; status 0 closes the connection without one."""
        site = self.server.site
        if status == 0:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)  # the client sees a reset
        elif status == HTTPStatus.SERVICE_UNAVAILABLE:
            message = f"More than {site.limit} requests at once: try again later."
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, message, head=head)
        elif status == HTTPStatus.TOO_MANY_REQUESTS:
            message = "Too many requests: wait as long as Retry-After says."
            self._send(HTTPStatus.TOO_MANY_REQUESTS, message, head=head)
        elif status == HTTPStatus.INTERNAL_SERVER_ERROR:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "This page always fails.", head=head)
        else:
            site._count("served")
            self._send_body(HTTPStatus.OK, page, head=head)

    def _send(
        self, status: HTTPStatus, message: str, *, head: bool = False, allow: bool = False
    ) -> None:
        if status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.server.site._count("unavailable")
        body = f"<html><body><h1>{status.value} {status.phrase}</h1><p>{message}</p></body></html>"
        self._send_body(status, body.encode(), head=head, allow=allow)

    def _send_body(
        self, status: HTTPStatus, body: bytes, *, head: bool = False, allow: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", "GET, HEAD")
        if status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.send_header("Retry-After", "1")
        elif status == HTTPStatus.TOO_MANY_REQUESTS:
            self.send_header("Retry-After", str(self.server.site.chaos.retry_after))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _count_client_error(self) -> None:
        self.server.site._count("client_errors")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Count the 4xx answers the base class gives to malformed requests, then send them."""
        if 400 <= code < 500:
            self._count_client_error()
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: lines on stderr would land in whichever notebook cell is running."""


class _HTTPServer(ThreadingHTTPServer):
    """A thread per connection; remembers open connections so stop() can close them."""

    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True
    request_queue_size = 128  # many clients connecting at once must not overflow the backlog

    def __init__(self, site: NoticeServer) -> None:
        self.site = site
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((HOST, 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.open_connections.add(request)
        self.site._count("connections")
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Count the error instead of printing a traceback (e.g. a client that hung up)."""
        self.site._count("errors")

    def close_connections(self) -> None:
        """Shut down open client connections so handler threads waiting on them finish."""
        with self.connections_lock:
            connections = list(self.open_connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class NoticeServer:
    """The local field-notice site: ``with NoticeServer(12, latency=0.1, limit=4) as server:``.

    ``server.url`` is the index page; ``server.notice_urls`` the pages it links; ``server.stats``
    what happened so far. Leaving the ``with`` block stops the server: the listening socket is
    closed, open connections are shut down and every server thread is joined.
    """

    def __init__(
        self,
        notices: int = 12,
        *,
        latency: float = 0.1,
        limit: int | None = None,
        chaos: Chaos | None = None,
    ) -> None:
        if isinstance(notices, bool) or not isinstance(notices, int):
            raise TypeError(f"notices must be an int, not {type(notices).__name__}")
        if not 1 <= notices <= MAX_NOTICES:
            raise ValueError(f"notices must be between 1 and {MAX_NOTICES}, not {notices}")
        if isinstance(latency, bool) or not isinstance(latency, int | float):
            raise TypeError(f"latency must be a number of seconds, not {type(latency).__name__}")
        if not (math.isfinite(latency) and 0 <= latency <= 60):
            raise ValueError(f"latency must be between 0 and 60 seconds, not {latency}")
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int):
                raise TypeError(f"limit must be an int or None, not {type(limit).__name__}")
            if limit < 1:
                raise ValueError(f"limit must be at least 1, not {limit}")
        if chaos is not None and not isinstance(chaos, Chaos):
            raise TypeError(f"chaos must be a Chaos or None, not {type(chaos).__name__}")
        self.notices = notices
        self.latency = float(latency)
        self.limit = limit
        self.chaos = chaos
        self._log: list[Request] = []
        self._tokens = float(chaos.burst) if chaos else 0.0
        self._refilled = time.monotonic()
        self._reset_done: set[str] = set()
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(
            ("served", "unavailable", "client_errors", "connections", "errors"), 0
        )
        self._in_flight = 0
        self._max_in_flight = 0
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- pages -------------------------------------------------------------------------------
    def page(self, path: str) -> bytes | None:
        """The page at ``path`` (``/``, ``/index.html`` or a notice), or None if there is none."""
        if not isinstance(path, str):
            raise TypeError(f"path must be a string, not {type(path).__name__}")
        if path in ("/", "/index.html"):
            return self._index()
        if path.startswith(NOTICE_PREFIX) and path.endswith(".html"):
            name = path[len(NOTICE_PREFIX) : -len(".html")]
            for k in range(self.notices):
                if name == notice_id(k):
                    return self._notice(k)
        return None

    def _index(self) -> bytes:
        # The same shape as the talk's cisco.com summary page, so one parser reads both.
        items = "\n".join(
            f'<li><a href="{NOTICE_PREFIX}{notice_id(k)}.html">'
            f"<span class='most_recent_link_title'>{html.escape(notice_title(k))}</span></a>"
            f'<span class="most_recent_link_date">Updated&nbsp;{1 + k % 28:02d}-Jul-2020</span>'
            "<br /></li>"
            for k in range(self.notices)
        )
        return (
            "<html><head><title>Field Notices (local demo site)</title></head><body>\n"
            '<p><a href="/">Home</a> | <a href="https://www.cisco.com/">the real site</a></p>\n'
            f'<ul class="doc-sublist">\n{items}\n</ul>\n</body></html>\n'
        ).encode()

    def _notice(self, k: int) -> bytes:
        title = html.escape(notice_title(k))
        paragraph = (
            "<p>This is a fictional field notice served by the course's local demo server. "
            "Its size varies from notice to notice, like the real ones.</p>\n"
        )
        return (
            f"<html><head><title>{title}</title></head><body>\n<h1>{title}</h1>\n"
            f"{paragraph * (1 + k % 5)}</body></html>\n"
        ).encode()

    # -- URLs and stats ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The index page, ``http://127.0.0.1:PORT/``."""
        if self._httpd is None:
            raise RuntimeError("the server is not running: use `with NoticeServer(...) as server:`")
        return f"http://{HOST}:{self._httpd.server_address[1]}/"

    @property
    def notice_urls(self) -> list[str]:
        """Every notice page's URL, in index order."""
        return [
            f"{self.url.rstrip('/')}{NOTICE_PREFIX}{notice_id(k)}.html" for k in range(self.notices)
        ]

    @property
    def stats(self) -> ServerStats:
        """A snapshot of what the server has seen so far."""
        with self._lock:
            return ServerStats(**self._counts, max_in_flight=self._max_in_flight)

    def _count(self, what: str) -> None:
        with self._lock:
            self._counts[what] += 1

    def _enter(self) -> int:
        """Admit a request unless ``limit`` are in flight already: how many now (0: refused)."""
        with self._lock:
            if self.limit is not None and self._in_flight >= self.limit:
                return 0
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            return self._in_flight

    def _trouble(self, path: str) -> str | None:
        """What chaos does to this request: "rate", "slow", "reset", "broken" or None."""
        chaos = self.chaos
        if chaos is None:
            return None
        with self._lock:
            now = time.monotonic()
            self._tokens = min(chaos.burst, self._tokens + (now - self._refilled) * chaos.rate)
            self._refilled = now
            if self._tokens < 1:
                return "rate"
            self._tokens -= 1
            k = self._notice_number(path)
            if k is None:
                return None
            if chaos.hits(chaos.broken_every, k):
                return "broken"
            if chaos.hits(chaos.reset_every, k) and path not in self._reset_done:
                self._reset_done.add(path)
                return "reset"
        return "slow" if chaos.hits(chaos.slow_every, k) else None

    def _notice_number(self, path: str) -> int | None:
        name = path.removeprefix(NOTICE_PREFIX).removesuffix(".html")
        number = name.removeprefix("FN-")
        if path.startswith(NOTICE_PREFIX) and number.isdigit():
            return int(number) - FIRST_NOTICE
        return None

    def _record(self, request: Request) -> None:
        with self._lock:
            self._log.append(request)

    @property
    def log(self) -> list[Request]:
        """Every page request so far (index and notices), in the order they ended."""
        with self._lock:
            return list(self._log)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> NoticeServer:
        """Bind 127.0.0.1 on a free port and serve in a background thread named notice-server."""
        if self._httpd is not None or self._stopping.is_set():
            raise RuntimeError("a NoticeServer can be started once")
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="notice-server"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and every connection, join all server threads."""
        self._stopping.set()
        if self._httpd is None or self._thread is None:
            return
        try:  # an interrupt (Kernel -> Interrupt) in here must not leave the socket open
            self._httpd.shutdown()  # serve_forever returns
            self._thread.join()
        finally:
            self._httpd.close_connections()
            self._httpd.server_close()  # closes the listening socket, joins handler threads

    def __enter__(self) -> NoticeServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
