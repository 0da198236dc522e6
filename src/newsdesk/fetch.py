"""Fetching URLs politely and safely.

A `Fetcher` owns one httpx client (connection pool shared by its threads) and applies, to every
request: the SSRF guard on the URL and on each redirect target (`netguard`), robots.txt and the
per-host gate (`polite`), conditional GET, connect/read timeouts plus a total deadline (a slow
drip cannot hold a worker), retries with exponential backoff and jitter on transient failures,
a content-type check, and a body-size cap enforced before and while reading.  gzip, deflate
and brotli bodies are decoded by httpx (the cap applies to the decoded size).

`fetch_document(url)` is the one-shot form used by ``newsdesk ingest URL``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from newsdesk import __version__
from newsdesk.errors import BlockedURL, FetchError
from newsdesk.netguard import GuardedTransport, allow_private_env, check_url
from newsdesk.polite import Abandoned, Deferred, HostGates, RobotsCache, origin_of

log = logging.getLogger(__name__)

__all__ = ["Abandoned", "BadStatus", "Deferred", "Document", "FetchOptions", "Fetcher", "Unreachable",
           "check_url", "fetch_document", "is_transient", "user_agent"]

MAX_BODY = 20 * 1024 * 1024
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
               "text/html;q=0.8, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_LOOSE_TYPES = ("application/octet-stream", "binary/octet-stream", "application/json")


class BadStatus(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Unreachable(FetchError):
    """No usable answer: connection failed, timed out or broke off (worth trying again later)."""


class _Transient(Exception):
    """A failure worth retrying (wraps the FetchError to raise when retries run out)."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchOptions:
    connect_timeout: float = 5.0  # seconds to open a connection
    read_timeout: float = 15.0  # seconds of silence allowed while reading
    total_timeout: float = 60.0  # seconds for a whole response (a slow drip is cut here)
    max_body: int = 10 * 1024 * 1024  # bytes, after decompression
    max_redirects: int = 5
    retries: int = 2  # further attempts after a transient failure
    backoff: float = 1.0  # seconds before the first retry; doubled each time, with jitter
    backoff_cap: float = 30.0  # longest wait between retries (also the longest Retry-After honoured)
    host_delay: float = 1.0  # seconds between two requests to one host (robots Crawl-delay may raise it)
    max_host_wait: float = 120.0  # a host busy for longer is deferred to a later poll
    robots: bool = True  # obey robots.txt
    robots_ttl: float = 3600.0  # seconds a robots.txt is cached
    allow_private: bool = False  # allow loopback/private addresses (tests only)
    contact: str = "newsdesk@localhost"  # sent in the User-Agent
    max_connections: int = 64

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> FetchOptions:
        """Options with the allow-private and contact settings of a `newsdesk.config.Settings`."""
        return cls(allow_private=settings.fetch_allow_private, contact=settings.contact, **overrides)


@dataclass(frozen=True, slots=True)
class Document:
    url: str  # the final URL, after redirects
    status: int
    content_type: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    elapsed_ms: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_transient(exc: FetchError) -> bool:
    """Worth trying again on a later poll (as opposed to a refusal or a broken document)."""
    if isinstance(exc, BadStatus):
        return exc.status in RETRY_STATUSES
    return isinstance(exc, (Unreachable, Deferred, Abandoned))


def user_agent(contact: str | None = None) -> str:
    import os

    contact = contact or os.environ.get("NEWSDESK_CONTACT", "newsdesk@localhost")
    return f"newsdesk/{__version__} (news aggregator; +mailto:{contact})"


def acceptable_type(content_type: str | None) -> bool:
    """Text, XML and HTML (and the octet-stream some feeds are mislabelled with); no media files."""
    if not content_type:
        return True
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or "xml" in mime or "html" in mime or mime in _LOOSE_TYPES


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Fetches URLs under the rules above.  Thread-safe; use one per process (or per watch run)."""

    def __init__(self, options: FetchOptions | None = None, client: httpx.Client | None = None,
                 stop: threading.Event | None = None) -> None:
        self.options = options or FetchOptions()
        self.stop = stop or threading.Event()
        self._own_client = client is None
        self.client = client or self._client()
        self.gates = HostGates(self.options.host_delay, self.options.max_host_wait, self.stop)
        self.robots = RobotsCache(self._load_robots, self.options.robots_ttl)

    def _client(self) -> httpx.Client:
        o = self.options
        limits = httpx.Limits(max_connections=o.max_connections, max_keepalive_connections=o.max_connections,
                              keepalive_expiry=30.0)
        transport = (httpx.HTTPTransport(limits=limits, trust_env=False) if o.allow_private
                     else GuardedTransport(limits))
        timeout = httpx.Timeout(o.read_timeout, connect=o.connect_timeout, pool=o.max_host_wait)
        headers = {"User-Agent": user_agent(o.contact), "Accept-Language": "ru, kk;q=0.9, en;q=0.5"}
        return httpx.Client(transport=transport, timeout=timeout, headers=headers, trust_env=False)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str = FEED_ACCEPT) -> Document:
        """The document at ``url`` (following redirects); 304 gives an empty `Document`."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, self.options.robots)

    def _follow(self, url: str, headers: dict[str, str], robots: bool) -> Document:
        chain = [url]
        for _ in range(self.options.max_redirects + 1):
            self._check(url, robots)
            result = self._with_retries(url, headers)
            if isinstance(result, Document):
                return result
            if result in chain:
                raise FetchError(f"{chain[0]}: redirect loop ({' → '.join([*chain, result])})")
            chain.append(url := result)
        raise FetchError(f"{chain[0]}: more than {self.options.max_redirects} redirects")

    def _check(self, url: str, robots: bool) -> None:
        check_url(url, self.options.allow_private)
        if not robots:
            return
        rules = self.robots.rules(origin_of(url))
        if rules.crawl_delay:
            self.gates.set_crawl_delay(origin_of(url), rules.crawl_delay)
        if rules.reason:  # robots.txt could not be read: assume a complete disallow, for now
            raise Unreachable(f"{url}: {rules.reason}")
        if not rules.allows(url):
            raise BlockedURL(f"{url}: disallowed by robots.txt")

    def _load_robots(self, url: str) -> tuple[int, bytes]:
        try:
            doc = self._follow(url, {"Accept": "text/plain, */*;q=0.5"}, robots=False)
        except BadStatus as exc:
            return exc.status, b""
        return doc.status, doc.body

    def _with_retries(self, url: str, headers: dict[str, str]) -> Document | str:
        for attempt in range(self.options.retries + 1):
            try:
                return self._once(url, headers)
            except _Transient as exc:
                if attempt == self.options.retries or not self._pause(attempt, exc, url):
                    raise exc.error from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, exc: _Transient, url: str) -> bool:
        """Sleep before the next attempt; False when the server asks for longer than we wait."""
        o = self.options
        delay = min(o.backoff_cap, o.backoff * 2 ** attempt) * random.uniform(0.5, 1.5)
        if exc.retry_after is not None:
            if exc.retry_after > o.backoff_cap:
                return False
            delay = max(delay, exc.retry_after)
        log.info("%s: %s; retrying in %.2f s", url, exc.error, delay)
        if self.stop.wait(delay):
            raise Abandoned(f"{url}: stopping")
        return True

    def _once(self, url: str, headers: dict[str, str]) -> Document | str:
        with self.gates.slot(origin_of(url)):
            started = time.monotonic()
            try:
                with self.client.stream("GET", url, headers=headers, follow_redirects=False) as response:
                    return self._read(url, response, started)
            except httpx.TimeoutException as exc:
                raise _Transient(Unreachable(f"{url}: {_timeout_kind(exc)} timeout")) from exc
            except httpx.TransportError as exc:
                raise _Transient(Unreachable(f"{url}: {type(exc).__name__}: {exc}")) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _read(self, url: str, response: httpx.Response, started: float) -> Document | str:
        status = response.status_code
        if status in REDIRECTS and "location" in response.headers:
            return str(response.url.join(response.headers["location"]))
        if status >= 400:
            wait = retry_after(response.headers.get("retry-after"))
            error = BadStatus(f"{url}: HTTP {status} {response.reason_phrase}".rstrip(), status, wait)
            if status in RETRY_STATUSES:
                raise _Transient(error, wait)
            raise error
        ctype = response.headers.get("content-type")
        if status != 304 and not acceptable_type(ctype):
            raise FetchError(f"{url}: unexpected content type {ctype!r} (expected a feed, sitemap or HTML page)")
        body = b"" if status == 304 else self._body(url, response, started)
        log.info("GET %s -> %d (%d bytes, %.0f ms)", url, status, len(body), (time.monotonic() - started) * 1e3)
        return Document(str(response.url), status, ctype, body, response.headers.get("etag"),
                        response.headers.get("last-modified"), (time.monotonic() - started) * 1e3)

    def _body(self, url: str, response: httpx.Response, started: float) -> bytes:
        cap, deadline = self.options.max_body, started + self.options.total_timeout
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{url}: body of {int(declared):,} bytes is over the {cap:,}-byte limit")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(f"{url}: body over the {cap:,}-byte limit")
            if self.stop.is_set():
                raise Abandoned(f"{url}: stopping")
            if time.monotonic() > deadline:
                raise _Transient(Unreachable(f"{url}: response took longer than "
                                            f"{self.options.total_timeout:g} s (too slow)"))
            chunks.append(chunk)
        return b"".join(chunks)


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    return {httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.PoolTimeout: "pool",
            httpx.WriteTimeout: "write"}.get(type(exc), "")


def fetch_document(url: str, client: httpx.Client | None = None, max_redirects: int = 5) -> Document:
    """One document, fetched once (no robots.txt: a person asked for this URL); HTTP errors raise."""
    options = FetchOptions(max_redirects=max_redirects, robots=False, retries=1, host_delay=0.0,
                           max_body=MAX_BODY, allow_private=allow_private_env())
    with Fetcher(options, client) as fetcher:
        return fetcher.get(url, accept="*/*")

