"""What handlers share: a database connection per request, the settings, the write-token check."""

from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine

from newsdesk.config import Settings
from newsdesk.store.db import Archive
from newsdesk.web.errors import ApiError

MAX_URL_BYTES = 8192  # path and query; uvicorn's own limit (httptools: some 80 KB) answers in plain text

bearer = HTTPBearer(auto_error=False, description="NEWSDESK_API_TOKEN; needed for writes only.")


def archive(request: Request) -> Archive:
    return request.app.state.archive


def settings(request: Request) -> Settings:
    return request.app.state.settings


class LazyConnection:
    """A connection checked out of the pool on first use, in the handler's own thread.

    Checking out in a yield-dependency instead deadlocks under load: requests holding connections
    wait for a thread to run their handler while every thread waits in the dependency for a
    connection.  Here a connection is only ever held by a running handler or by the dependency's
    exit, which FastAPI runs outside the thread-pool limit, so the pool always drains."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __getattr__(self, name: str) -> Any:
        if self._conn is None:
            self._conn = self._engine.connect()
        return getattr(self._conn, name)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def connection(request: Request) -> Iterator[Connection]:
    lazy = LazyConnection(request.app.state.archive.engine)
    try:
        yield lazy  # type: ignore[misc]  # behaves as a Connection
    finally:
        lazy.close()


def require_token(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Writes need ``Authorization: Bearer <NEWSDESK_API_TOKEN>``; with no token configured, none pass."""
    expected = request.app.state.settings.api_token
    challenge = {"WWW-Authenticate": "Bearer"}
    if not expected:
        raise ApiError(401, "writes are disabled: the server has no NEWSDESK_API_TOKEN", headers=challenge)
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "missing bearer token (Authorization: Bearer …)", headers=challenge)
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise ApiError(401, "wrong bearer token", headers=challenge)


def url_length(request: Request) -> None:
    """A URL over `MAX_URL_BYTES` is refused with 414 in our error shape.  Uvicorn refuses far longer
    request lines itself, with a plain-text 400 «Invalid HTTP request received.» before the app sees them."""
    size = len(request.scope.get("raw_path") or b"") + len(request.scope.get("query_string") or b"")
    if size > MAX_URL_BYTES:
        raise ApiError(414, f"URL of {size:,} bytes; the limit is {MAX_URL_BYTES:,}: send fewer or shorter "
                       "parameters")


def _releasing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            for value in kwargs.values():
                if isinstance(value, LazyConnection):
                    value.close()

    return run


class ReleasingRoute(APIRoute):
    """A route whose (sync) handler gives its connection back to the pool as soon as it returns.

    FastAPI validates a handler's return value against ``response_model`` in another pool thread,
    before the dependency's exit runs.  A request holding a connection would then wait for a thread
    while every thread waits for a connection: with 50 clients the API stalled until the pool's
    30 s timeout.  The handlers return plain data, so nothing needs the connection after them."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _releasing(endpoint)
        super().__init__(path, endpoint, **kwargs)


Conn = Annotated[Connection, Depends(connection)]
Writer = Depends(require_token)
