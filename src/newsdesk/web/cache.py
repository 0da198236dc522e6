"""Caching that never serves stale data: everything cached is keyed to the archive's *version*,
a cheap token that changes whenever the archive may have changed.

On SQLite the token is the modification time, size and inode of the database file and its WAL
(every commit writes the WAL, in this process or any other: ``newsdesk ingest``, another worker),
so a page is served from memory until the next commit.  Elsewhere (PostgreSQL) it is a clock that
ticks every ``ttl`` seconds.  Entries also expire after ``max_age`` seconds because «Главные темы»
follow the wall clock.

``ResponseCache`` is ASGI middleware keeping whole GET responses (status, headers, body) of the
paths it is told are cacheable, in an LRU bounded in bytes, keyed by the URL and the request's ``variant``
(the reader's interface language: a Russian page never answers a Kazakh reader); ``Memo`` keeps computed values (the
latest ids of a tag, the trending tags) for the same version.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy.engine import make_url
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.store.db import Archive

MAX_BODY = 1_000_000  # larger responses are never cached


class ArchiveVersion:
    def __init__(self, archive: Archive, ttl: float = 5.0) -> None:
        database = make_url(str(archive.engine.url)).database if archive.is_sqlite else None
        self.files = [database, database + "-wal"] if database and database != ":memory:" else []
        self.ttl = ttl
        self.local = 0

    def bump(self) -> None:
        """This process wrote to the archive: forget at once (other processes' writes on a server
        database show within ``ttl`` seconds)."""
        self.local += 1

    def __call__(self) -> Hashable:
        if not self.files:
            return (self.local, int(time.monotonic() // self.ttl))
        return (self.local, *(_stat(path) for path in self.files))


def _stat(path: str) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Memo:
    """Values computed from the archive, forgotten when its version changes (or after max_age s)."""

    def __init__(self, version: Callable[[], Hashable], max_entries: int = 4096, max_age: float = 60.0) -> None:
        self.version = version
        self.max_entries = max_entries
        self.max_age = max_age
        self._token: Hashable = None
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # handlers run in a thread pool

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for ``key`` at the current version, computed (outside the lock) when missing."""
        token, now = self.version(), time.monotonic()
        with self._lock:
            if token != self._token:
                self._items.clear()
                self._token = token
            found = self._items.get(key)
            if found is not None and now - found[0] < self.max_age:
                self._items.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            if token == self._token:
                self._items[key] = (now, value)
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
        return value


class ResponseCache:
    """Whole GET responses of cacheable paths, while the archive version stays the same."""

    def __init__(self, app: ASGIApp, version: Callable[[], Hashable], cacheable: Callable[[str], bool],
                 max_bytes: int, max_age: float = 60.0, variant: Callable[[Scope], bytes] | None = None) -> None:
        self.app = app
        self.variant = variant
        self.version = version
        self.cacheable = cacheable
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.size = 0
        self.hits = self.misses = 0
        self._token: Hashable = None
        self._items: OrderedDict[bytes, tuple[float, Message, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0
                or not self.cacheable(scope["path"])):
            await self.app(scope, receive, send)
            return
        host = next((v for k, v in scope["headers"] if k == b"host"), b"")  # feeds carry absolute URLs
        variant = self.variant(scope) if self.variant is not None else b""  # what else the response depends on
        key = variant + b" " + host + b" " + scope["raw_path"] + b"?" + scope["query_string"]
        if await self._serve(key, send):
            return
        await self._fill(key, scope, receive, send)

    async def _serve(self, key: bytes, send: Send) -> bool:
        token = self.version()
        if token != self._token:
            self._items.clear()
            self.size, self._token = 0, token
        found = self._items.get(key)
        if found is None or time.monotonic() - found[0] >= self.max_age:
            self.misses += 1
            return False
        self.hits += 1
        self._items.move_to_end(key)
        await send(dict(found[1]))
        await send({"type": "http.response.body", "body": found[2]})
        return True

    async def _fill(self, key: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        token = self._token
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200 and token == self._token:
                    self._store(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: bytes, start: Message, body: bytes) -> None:
        if len(body) > MAX_BODY or len(body) > self.max_bytes // 4:
            return
        old = self._items.pop(key, None)
        self.size -= len(old[2]) if old else 0
        self._items[key] = (time.monotonic(), {**start, "headers": list(start.get("headers", []))}, body)
        self.size += len(body)
        while self.size > self.max_bytes and self._items:
            self.size -= len(self._items.popitem(last=False)[1][2])
