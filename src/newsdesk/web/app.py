"""The web app: ``create_app(settings)`` opens the archive, loads the sample into an empty one,
includes the routers of ``routes.ROUTERS`` and adds the security middleware.

    uvicorn --factory newsdesk.web.app:app_from_env     # settings from NEWSDESK_* variables
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.store import open_archive
from newsdesk.web import errors, views
from newsdesk.web.render import environment
from newsdesk.web.routes import ROUTERS
from newsdesk.web.sample import load_sample_if_empty
from newsdesk.web.security import BodyLimit, SecurityHeaders

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
DESCRIPTION = """Articles, tags and facets of the newsdesk archive.  Reads are public; writes need
`Authorization: Bearer <NEWSDESK_API_TOKEN>`.  Lists are `{"items": [...], "next_cursor": ...}`;
every error is `{"error": {"code", "message", "field"}}`."""


def create_app(settings: Settings, extra_routers: Iterable[APIRouter] = ()) -> FastAPI:
    """The site and the API over the archive at ``settings.database_url``."""
    settings.check()
    app = FastAPI(title="newsdesk API", version=__version__, description=DESCRIPTION, lifespan=_lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.archive = open_archive(settings.database_url)
    app.state.templates = environment()
    app.state.has_route = _route_checker(app)
    app.state.error_context = _error_context
    errors.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_write_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in [*extra_routers, *ROUTERS]:
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (and several workers): settings from the environment."""
    return create_app(Settings())


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.settings.load_sample:
        await run_in_threadpool(_load_sample, app)
    yield
    app.state.archive.dispose()


def _load_sample(app: FastAPI) -> None:
    try:
        summary = load_sample_if_empty(app.state.archive)
    except IntegrityError:  # another worker loaded it at the same moment
        log.info("sample already being loaded by another worker")
        return
    if summary is not None:
        log.info("loaded the bundled sample: %s", summary.line())


def _route_checker(app: FastAPI) -> Any:
    """``has_route('/entity/')``: whether some router serves paths starting so (templates link only then)."""
    cache: dict[str, bool] = {}

    def has_route(prefix: str) -> bool:
        if prefix not in cache:
            cache[prefix] = any(getattr(r, "path", "").startswith(prefix) for r in app.routes)
        return cache[prefix]

    return has_route


def _error_context(request: Request) -> dict[str, Any]:
    try:
        with request.app.state.archive.engine.connect() as conn:
            return views.not_found(conn)
    except Exception:  # noqa: BLE001 - the 404 page must render even when the archive cannot help
        log.exception("404 suggestions failed")
        return {}
