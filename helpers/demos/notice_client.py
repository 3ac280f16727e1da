"""Downloading the field notices: find the links on the index page, then GET every page.

The talk's demo 11 used BeautifulSoup and lxml to find the links; the index needs ten lines of
the standard library's ``html.parser`` instead, so the course needs no extra dependency.

Every thread gets its own ``requests.Session`` (kept in a ``threading.local``): a Session is
not documented as thread-safe, and its connection pool is then used by one thread only, so
each thread keeps one connection alive and reuses it for all its requests.

Requests to the local demo server never go through a proxy: a company laptop's ``HTTP_PROXY``
would otherwise send ``http://127.0.0.1:PORT/`` to the proxy, which cannot reach the learner's
own machine. Requests to other sites (the real cisco.com page) still honour the proxy settings.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from types import TracebackType
from urllib.parse import urljoin, urlsplit

# At import, in a notebook's Setup, not at first use: see "Imports" in helpers/README.md.
import pandas as pd
import requests

# The page the talk's demo read the list of recent field notices from (2020; may have changed).
CISCO_FIELD_NOTICES_URL = (
    "https://www.cisco.com/c/en/us/support/web/tsd-products-field-notice-summary.html"
)
TITLE_CLASS = "most_recent_link_title"


@dataclass(frozen=True)
class NoticeLink:
    """A link found on the index page: absolute URL and the notice's title."""

    url: str
    title: str


class NoticeLinkParser(HTMLParser):
    """Collect links shaped like ``<a href=...><span class="most_recent_link_title">T</span></a>``.

    Other links on the page (navigation, ...) have no such span and are skipped.
    """

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, title)
        self._href: str | None = None  # inside <a href=...>
        self._title: list[str] | None = None  # inside the title <span>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self._href = attributes.get("href")
        elif (
            tag == "span" and self._href and TITLE_CLASS in (attributes.get("class") or "").split()
        ):
            self._title = []

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._title is not None and self._href:
            self.links.append((self._href, " ".join("".join(self._title).split())))
            self._title = None
        elif tag == "a":
            self._href = None


def parse_notice_links(page: str, base_url: str) -> list[NoticeLink]:
    """The notice links on an index ``page`` read from ``base_url``, in page order."""
    if not isinstance(page, str) or not isinstance(base_url, str):
        raise TypeError("page and base_url must be strings")
    parser = NoticeLinkParser()
    parser.feed(page)
    parser.close()
    return [NoticeLink(urljoin(base_url, href), title) for href, title in parser.links]


def notice_name(url: str) -> str:
    """Short name of a notice from its URL: ``.../FN-70001.html`` -> ``FN-70001``."""
    if not isinstance(url, str) or not url:
        raise ValueError(f"url must be a non-empty string, not {url!r}")
    name = PurePosixPath(urlsplit(url).path).stem
    if not name:
        raise ValueError(f"no page name in {url!r}")
    return name


# Loopback names for requests' per-request ``no_proxy`` setting (see _DirectToLoopbackSession).
_LOOPBACK_NO_PROXY = "127.0.0.1,localhost,::1"


def _is_loopback(url: str) -> bool:
    """True if ``url`` names this machine: ``localhost`` or a loopback address (127.x, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name, not an address
        return False


class _DirectToLoopbackSession(requests.Session):
    """A Session that sends requests for loopback URLs directly, whatever the proxy variables say.

    Why this way: requests reads ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` (any case) and
    ``NO_PROXY`` from the environment for every request, and does NOT exempt 127.0.0.1 by
    itself. ``trust_env=False`` would switch the environment off for the whole Session, real
    sites included (and ``.netrc``, ``REQUESTS_CA_BUNDLE`` with it); one Session per thread
    serves both kinds of URL here, so instead each loopback request gets requests' own
    ``no_proxy`` setting naming the loopback hosts. It is kept through redirects, and the
    learner's ``NO_PROXY`` still applies unchanged to every other URL.
    """

    def merge_environment_settings(  # type: ignore[override]
        self, url: str, proxies: dict | None, stream: object, verify: object, cert: object
    ) -> dict:
        if _is_loopback(url):
            proxies = {**(proxies or {}), "no_proxy": _LOOPBACK_NO_PROXY}
        return super().merge_environment_settings(url, proxies, stream, verify, cert)


class UnreachableURLError(requests.ConnectionError):
    """No connection could be made to a URL (server not running, wrong host or port, offline).

    A ``requests.ConnectionError`` (code catching that still catches this one) whose message
    names the URL; requests' own error, with the low-level reason, is chained as ``__cause__``.
    """


def _get(session: requests.Session, url: str, timeout: float) -> requests.Response:
    """``session.get(url)``, with a failure to connect raised as :class:`UnreachableURLError`."""
    try:
        return session.get(url, timeout=timeout)
    except requests.ConnectionError as error:
        raise UnreachableURLError(
            f"cannot reach {url}: the connection failed (is the server running, is the URL right?)"
        ) from error


@dataclass(frozen=True)
class Fetched:
    """One download: which notice, the HTTP status, how many bytes came back."""

    notice: str
    status: int
    bytes: int
    url: str


class Downloader:
    """GET pages with one ``requests.Session`` per thread; closes all of them at the end.

    Its Sessions send loopback URLs (the demo server) past any proxy; other URLs honour it.

    ``with Downloader() as downloader: downloader.get(url)`` -- ``get`` can be called from any
    number of threads (a pool's ``map``, one thread per URL, ...).
    """

    def __init__(self, *, timeout: float = 10.0) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
        if not 0 < timeout <= 300:
            raise ValueError(f"timeout must be in (0, 300] seconds, not {timeout}")
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._created = 0
        self._lock = threading.Lock()
        self._closed = False

    def session(self) -> requests.Session:
        """This thread's Session, created on its first request."""
        session = getattr(self._local, "session", None)
        if session is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the Downloader is closed")
                session = _DirectToLoopbackSession()
                self._sessions.append(session)
                self._created += 1
            self._local.session = session
        return session

    @property
    def sessions_created(self) -> int:
        """How many Sessions (one per thread that made a request) were created so far."""
        with self._lock:
            return self._created

    def get(self, url: str) -> Fetched:
        """GET ``url`` with this thread's Session; any HTTP status is returned, not raised.

        Raises :class:`UnreachableURLError` (naming ``url``) if no connection can be made.
        """
        name = notice_name(url)
        response = _get(self.session(), url, self.timeout)
        return Fetched(name, response.status_code, len(response.content), url)

    def notice_links(self, index_url: str) -> list[NoticeLink]:
        """Read the index page and return the notice links on it."""
        if not isinstance(index_url, str) or not index_url:
            raise ValueError(f"index_url must be a non-empty string, not {index_url!r}")
        response = _get(self.session(), index_url, self.timeout)
        response.raise_for_status()
        return parse_notice_links(response.text, index_url)

    def close(self) -> None:
        """Close every thread's Session (and its connections)."""
        with self._lock:
            self._closed = True
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> Downloader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def results_table(results: Iterable[Fetched]) -> pd.DataFrame:
    """A table with one row per download: notice, status, bytes (in the order given)."""
    rows = []
    for r in results:
        if not isinstance(r, Fetched):
            raise TypeError(f"expected Fetched results, not {type(r).__name__}")
        rows.append({"notice": r.notice, "status": r.status, "bytes": r.bytes})
    return pd.DataFrame(rows, columns=["notice", "status", "bytes"])
