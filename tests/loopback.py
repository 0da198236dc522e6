"""A real HTTP server on 127.0.0.1, in a thread, whose routes misbehave on request.

    with Loopback() as site:
        site.route("/feed.xml", lambda h: reply(h, feed_xml, "application/rss+xml"))
        fetcher.get(site.url("/feed.xml"))

A route is a function of the request handler; `reply`, `drip` and `redirect` cover the cases.
Every request is recorded in ``site.requests`` as (path, headers).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        self.server.site.requests.append((self.path, dict(self.headers.items())))
        route = self.server.site.routes.get(path)
        try:
            if route is None:
                reply(self, b"not found", "text/plain", status=404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.server.site.broken.append(path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Loopback


class Loopback:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.broken: list[str] = []
        self.sent: dict[str, int] = {}
        self.server = _Server((host, 0), _Handler)
        self.server.site = self
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, fn: Route) -> None:
        self.routes[path] = fn

    def static(self, path: str, body: bytes | str, ctype: str = "text/html; charset=utf-8", **kw: Any) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: reply(h, data, ctype, **kw)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p.split("?", 1)[0] == path)


def reply(h: BaseHTTPRequestHandler, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
          headers: dict[str, str] | None = None, encoding: str | None = None) -> None:
    if encoding == "gzip":
        body = gzip.compress(body)
    elif encoding == "br":
        import brotli

        body = brotli.compress(body)
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    if encoding:
        h.send_header("Content-Encoding", encoding)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(body)


def redirect(h: BaseHTTPRequestHandler, location: str, status: int = 302) -> None:
    h.send_response(status)
    h.send_header("Location", location)
    h.send_header("Content-Length", "0")
    h.end_headers()


def drip(h: BaseHTTPRequestHandler, total: int, chunk: int, pause: float, length: bool = True,
         ctype: str = "application/rss+xml") -> None:
    """``total`` bytes in ``chunk``-sized pieces, ``pause`` seconds apart; counts what was sent."""
    site: Loopback = h.server.site  # type: ignore[attr-defined]
    h.send_response(200)
    h.send_header("Content-Type", ctype)
    if length:
        h.send_header("Content-Length", str(total))
    h.end_headers()
    piece, sent = b"x" * chunk, 0
    site.sent[h.path] = 0
    while sent < total:
        h.wfile.write(piece)
        sent += chunk
        site.sent[h.path] = sent
        if pause:
            time.sleep(pause)
