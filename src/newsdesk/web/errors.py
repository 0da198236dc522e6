"""One error shape for the whole API, and a helpful HTML page for everything else.

    {"error": {"code": "not_found", "message": "no article with id 'x'", "field": null}}

API paths (``/api/``) and ``?format=json`` twins get that JSON; pages get ``error.html``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.errors import InputError, NotFound
from newsdesk.store.editing import Conflict
from newsdesk.store.listing import BadCursor
from newsdesk.web.i18n import Msg
from newsdesk.web.render import json_response, render, wants_json

log = logging.getLogger(__name__)
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 414: "uri_too_long", 415: "unsupported_media_type", 422: "invalid",
         500: "internal"}
TOO_LONG = {"description": "URL too long", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/ErrorOut"}}}}
MESSAGES = {404: "Страница не найдена", 405: "Метод не поддерживается", 414: "Слишком длинный адрес страницы",
            500: "Что-то сломалось на нашей стороне"}


class ApiError(HTTPException):
    """An HTTP error with the field it is about (for 422s)."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.field = field


def error_body(status: int, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": CODES.get(status, "error"), "message": message, "field": field}}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or wants_json(request)


async def respond(request: Request, status: int, message: str, field: str | None = None,
                  headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON for the API, else as a page; a 404 page suggests articles from the archive.

    The suggestions are read in a worker thread: the handlers run on the event loop, and a pool
    checkout there would stall the loop while every connection is held by handlers that need it."""
    if is_api(request):
        return json_response(error_body(status, message, field), status, dict(headers or {}))
    said = Msg(MESSAGES[status]) if status in MESSAGES else message
    context = {"status": status, "message": said, "detail": message}
    if status == 404:
        context.update(await run_in_threadpool(request.app.state.error_context, request))
    return render(request, "error.html", context, status)


async def on_http(request: Request, exc: HTTPException) -> Response:
    return await respond(request, exc.status_code, str(exc.detail), getattr(exc, "field", None), exc.headers)


async def on_validation(request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    field = ".".join(str(p) for p in first["loc"][1:]) or None
    return await respond(request, 422, f"{field or 'request'}: {first['msg']}", field)


async def on_input(request: Request, exc: InputError) -> Response:
    status = 409 if isinstance(exc, Conflict) else 422
    return await respond(request, status, exc.reason, exc.field)


async def on_not_found(request: Request, exc: Exception) -> Response:
    return await respond(request, 404, str(exc))


async def on_cursor(request: Request, exc: Exception) -> Response:
    return await respond(request, 422, str(exc), "cursor")


async def on_crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    return await respond(request, 500, "internal error")


def honest_openapi(app: FastAPI) -> None:
    """The OpenAPI schema without FastAPI's own 422 (``HTTPValidationError``), which it adds to every route
    taking parameters: `on_validation` answers with our one shape instead, and a route that can answer 422
    declares it so (`schemas.errors`); a bare path parameter (``/articles/{article_id}``) cannot.  Every
    operation declares the 414 of `deps.url_length`, which guards them all."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    if "HTTPValidationError" in str(operation.get("responses", {}).get("422")):
                        del operation["responses"]["422"]
                    operation["responses"]["414"] = TOO_LONG
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
        return app.openapi_schema  # type: ignore[return-value]  # set by build()

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    honest_openapi(app)
    app.add_exception_handler(HTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, on_input)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(BadCursor, on_cursor)
    app.add_exception_handler(Exception, on_crash)
