"""``tgnews server <port>``: the contest's HTTP protocol, HTTP/1.1 with keep-alive.

    PUT    /<file>.html     Content-Type: text/html, Cache-Control: max-age=N   201 new, 204 replaced
    DELETE /<file>.html                                                         204, or 404 when unknown
    GET    /threads?period=<s>&lang_code=<en|ru|kk>&category=<any|society|…>    200 {"threads": [...]}

The port is bound before anything heavy is imported; a background thread then loads the models and the
index (`index.Index.open`) while every request is answered 503 with ``Retry-After: 1``.  Handlers only
translate HTTP: parameters are checked here (400 with a JSON ``{"error": …}`` naming the bad value), the
work is the index's.  The standard library's threading server is enough: one thread per connection,
writes serialised by the index's lock.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from newsdesk.errors import InputError

if TYPE_CHECKING:
    from newsdesk.tgnews.index import Index

log = logging.getLogger(__name__)

LANGS = ("en", "ru", "kk")
CATEGORIES = ("any", "society", "economy", "technology", "sports", "entertainment", "science", "other")
MIN_AGE, MAX_AGE = 300, 30 * 24 * 3600
MAX_PAGE = 16 * 1024 * 1024  # bytes of one PUT body


class BadRequest(ValueError):
    """A request the protocol does not allow; the message names the bad value."""


class State:
    """What the handlers share: the index once it is loaded, or why it failed to load."""

    def __init__(self) -> None:
        self.index: Index | None = None
        self.error: str | None = None

    def load(self, data_dir: Path) -> None:
        try:
            from newsdesk.tgnews import analysis
            from newsdesk.tgnews.index import Index

            analysis.warm()
            self.index = Index.open(data_dir)
            log.info("ready: %d files indexed from %s", len(self.index), data_dir)
        except Exception as exc:  # noqa: BLE001 - reported on every request instead of dying silently
            log.exception("could not load the index from %s", data_dir)
            self.error = f"{type(exc).__name__}: {exc}"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: State) -> None:
        super().__init__(address, Handler)
        self.state = state


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(self._put)

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve(self._delete)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(self._get)

    def _serve(self, action: Any) -> None:
        try:
            body = self._body()
            index = self.server.state.index
            if index is None:
                self._unavailable()
                return
            action(index, body)
        except (BadRequest, InputError) as exc:
            self._json(400, {"error": str(exc)})
        except Exception as exc:  # noqa: BLE001 - one failing request must not take the connection down silently
            log.exception("%s %s failed", self.command, self.path)
            self._json(500, {"error": f"{type(exc).__name__}: {exc}"})

    def _put(self, index: Index, body: bytes) -> None:
        from newsdesk.sources.decode import decode  # here: the package pulls in every reader

        name = file_name(self.path)
        charset = content_type(self.headers.get("Content-Type"))
        max_age = parse_max_age(self.headers.get("Cache-Control"))
        new = index.put(name, decode(body, name, charset), max_age)
        self._empty(201 if new else 204)

    def _delete(self, index: Index, _body: bytes) -> None:
        self._empty(204 if index.delete(file_name(self.path)) else 404)

    def _get(self, index: Index, _body: bytes) -> None:
        url = urlsplit(self.path)
        if url.path != "/threads":
            self._json(404, {"error": f"no such resource {url.path!r}; GET /threads?period=…&lang_code=…&category=…"})
            return
        period, lang, category = threads_query(url.query)
        self._json(200, {"threads": index.threads(period, lang, category)})

    # the wire

    def _body(self) -> bytes:
        """The whole request body (Content-Length or chunked), read even when the request is refused."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._chunked()
        declared = self.headers.get("Content-Length") or "0"
        if not declared.strip().isdigit():
            self.close_connection = True  # the body's end is unknown
            raise BadRequest(f"Content-Length {declared!r} is not a number of bytes")
        length = int(declared)
        if length > MAX_PAGE:
            self.close_connection = True
            raise BadRequest(f"a body of {length:,} bytes is over the {MAX_PAGE:,}-byte limit")
        return self.rfile.read(length) if length > 0 else b""

    def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _unavailable(self) -> None:
        error = self.server.state.error
        message = f"the index failed to load: {error}" if error else "loading models and index; retry shortly"
        self._json(503, {"error": message}, {"Retry-After": "1"})

    def _json(self, status: int, document: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _empty(self, status: int) -> None:
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


# parameters


def file_name(path: str) -> str:
    name = unquote(urlsplit(path).path).removeprefix("/")
    if not name or "/" in name or name in (".", "..") or len(name) > 255:
        raise BadRequest(f"bad file name {name!r}: use /<file>.html, one path segment")
    return name


def content_type(value: str | None) -> str | None:
    """Check that a page is sent as text/html; its declared charset, if any."""
    kind, *params = (value or "").split(";")
    if kind.strip().lower() != "text/html":
        raise BadRequest(f"Content-Type {value!r}: pages must be sent as text/html")
    for param in params:
        key, _, charset = param.strip().partition("=")
        if key.strip().lower() == "charset":
            return charset.strip().strip('"') or None
    return None


def parse_max_age(value: str | None) -> int:
    """The max-age of a Cache-Control header, in [300 s, 30 days]."""
    for directive in (value or "").split(","):
        key, _, number = directive.strip().partition("=")
        if key.strip().lower() == "max-age":
            if not number.strip().isdigit() or not MIN_AGE <= int(number) <= MAX_AGE:
                raise BadRequest(f"Cache-Control max-age={number!r}: give whole seconds from {MIN_AGE} to {MAX_AGE}")
            return int(number)
    raise BadRequest(f"Cache-Control {value!r} has no max-age: send e.g. 'Cache-Control: max-age=86400'")


def threads_query(query: str) -> tuple[int, str, str]:
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    period = params.get("period", "")
    if not period.isdigit() or int(period) <= 0:
        raise BadRequest(f"period={period!r}: give a positive number of seconds")
    lang = params.get("lang_code", "")
    if lang not in LANGS:
        raise BadRequest(f"lang_code={lang!r}: choose one of {', '.join(LANGS)}")
    category = params.get("category", "")
    if category not in CATEGORIES:
        raise BadRequest(f"category={category!r}: choose one of {', '.join(CATEGORIES)}")
    return int(period), lang, category


def serve(host: str, port: int, data_dir: Path) -> int:
    """Bind at once, load in the background, serve until interrupted."""
    state = State()
    server = Server((host, port), state)
    log.info("listening on %s:%d, loading %s", host, port, data_dir)
    threading.Thread(target=state.load, args=(data_dir,), name="tgnews-load", daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if state.index is not None:
            state.index.archive.dispose()
    return 0
