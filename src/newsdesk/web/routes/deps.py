"""What handlers share: a database connection per request, the settings, the write-token check."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from newsdesk.config import Settings
from newsdesk.store.db import Archive
from newsdesk.web.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="NEWSDESK_API_TOKEN; needed for writes only.")


def archive(request: Request) -> Archive:
    return request.app.state.archive


def settings(request: Request) -> Settings:
    return request.app.state.settings


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.archive.engine.connect() as conn:
        yield conn


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


Conn = Annotated[Connection, Depends(connection)]
Writer = Depends(require_token)
