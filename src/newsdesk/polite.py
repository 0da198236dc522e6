"""Politeness towards the sites we fetch: one request at a time per host, a minimum delay
between two requests to the same host (raised by robots.txt ``Crawl-delay``), and robots.txt
rules cached per origin.

Waiting is interruptible: when the fetcher's stop event is set, a wait ends with `Abandoned`;
a wait longer than the allowed maximum ends with `Deferred` (try again on a later poll).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.errors import FetchError

log = logging.getLogger(__name__)
AGENT = "newsdesk"  # the product token robots.txt groups are matched against
MAX_ROBOTS = 512 * 1024  # RFC 9309: parse at least the first 500 KiB
UNREACHABLE_TTL = 600.0  # seconds before an unreachable robots.txt is asked for again


class Abandoned(FetchError):
    """Stopping: the fetch was given up before anything was stored."""


class Deferred(FetchError):
    """The host cannot be asked now (busy or Crawl-delay too long); try on a later poll."""


def origin_of(url: str) -> str:
    """scheme://host:port — the unit robots.txt and the per-host limits apply to."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


@dataclass
class _Gate:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    crawl_delay: float = 0.0


class HostGates:
    """At most one request in flight per origin, and ``delay`` seconds between two of them."""

    def __init__(self, delay: float, max_wait: float, stop: threading.Event) -> None:
        self.delay = delay
        self.max_wait = max_wait
        self.stop = stop
        self._gates: dict[str, _Gate] = {}
        self._lock = threading.Lock()

    def _gate(self, origin: str) -> _Gate:
        with self._lock:
            return self._gates.setdefault(origin, _Gate())

    def set_crawl_delay(self, origin: str, seconds: float) -> None:
        self._gate(origin).crawl_delay = seconds

    @contextmanager
    def slot(self, origin: str) -> Iterator[None]:
        """Hold the origin's one connection for the duration of the block."""
        gate = self._gate(origin)
        self._acquire(gate, origin)
        try:
            self._wait_turn(gate, origin)
            yield
        finally:
            gate.next_at = time.monotonic() + max(self.delay, gate.crawl_delay)
            gate.lock.release()

    def _acquire(self, gate: _Gate, origin: str) -> None:
        give_up = time.monotonic() + self.max_wait
        while not gate.lock.acquire(timeout=0.1):
            if self.stop.is_set():
                raise Abandoned(f"{origin}: stopping")
            if time.monotonic() > give_up:
                raise Deferred(f"{origin}: busy for more than {self.max_wait:.0f} s")

    def _wait_turn(self, gate: _Gate, origin: str) -> None:
        wait = gate.next_at - time.monotonic()
        if wait > self.max_wait:
            raise Deferred(f"{origin}: next request allowed in {wait:.0f} s (Crawl-delay)")
        if self.stop.is_set() or (wait > 0 and self.stop.wait(wait)):
            raise Abandoned(f"{origin}: stopping")


@dataclass
class Rules:
    """What one origin's robots.txt says about us."""

    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool = False
    crawl_delay: float = 0.0
    reason: str = ""
    expires: float = 0.0

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(AGENT, url)


def parse_rules(text: str, ttl: float) -> Rules:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    delay = parser.crawl_delay(AGENT)
    return Rules(parser, crawl_delay=float(delay or 0), expires=time.monotonic() + ttl)


# load(url) -> (HTTP status, body); raises FetchError when the host cannot be reached.
RobotsLoader = Callable[[str], tuple[int, bytes]]


class RobotsCache:
    """robots.txt per origin, fetched once per ``ttl`` seconds (RFC 9309 semantics)."""

    def __init__(self, load: RobotsLoader, ttl: float) -> None:
        self.load = load
        self.ttl = ttl
        self._rules: dict[str, Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def rules(self, origin: str) -> Rules:
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._rules.get(origin)
            if cached is None or cached.expires < time.monotonic():
                cached = self._rules[origin] = self._fetch(origin)
            return cached

    def _fetch(self, origin: str) -> Rules:
        try:
            status, body = self.load(f"{origin}/robots.txt")
        except (Abandoned, Deferred):
            raise
        except FetchError as exc:
            return self._unreachable(origin, str(exc))
        if status >= 500:
            return self._unreachable(origin, f"HTTP {status}")
        if status >= 400:  # "unavailable": no rules, everything allowed
            return Rules(None, expires=time.monotonic() + self.ttl)
        log.info("robots.txt for %s: %d bytes", origin, len(body))
        return parse_rules(body[:MAX_ROBOTS].decode("utf-8", errors="replace"), self.ttl)

    def _unreachable(self, origin: str, why: str) -> Rules:
        log.warning("robots.txt for %s unreachable (%s): not fetching from it for now", origin, why)
        return Rules(None, disallow_all=True, reason=f"robots.txt unreachable ({why})",
                     expires=time.monotonic() + min(self.ttl, UNREACHABLE_TTL))
