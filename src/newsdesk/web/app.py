"""The web app: ``create_app(settings)`` opens the archive, loads the sample into an empty one,
includes the routers of ``routes.ROUTERS`` and adds the security middleware.

    uvicorn --factory newsdesk.web.app:app_from_env     # settings from NEWSDESK_* variables
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.store import Archive, open_archive
from newsdesk.web import errors, i18n, views
from newsdesk.web.cache import ArchiveVersion, Memo, ResponseCache
from newsdesk.web.head import HeadAsGet
from newsdesk.web.render import environment
from newsdesk.web.routes import ROUTERS
from newsdesk.web.routes.deps import url_length
from newsdesk.web.sample import load_sample_if_empty
from newsdesk.web.security import BodyLimit, SecurityHeaders

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
DESCRIPTION = """Articles, tags and facets of the newsdesk archive.  Reads are public; writes need
`Authorization: Bearer <NEWSDESK_API_TOKEN>`.  Lists are `{"items": [...], "next_cursor": ...}`;
every error is `{"error": {"code", "message", "field"}}`.  A URL over 8 KiB is refused with 414; one over
the server's own limit (uvicorn with httptools: some 80 KB) gets its plain-text 400."""


CACHEABLE_EXACT = {"/", "/tags", "/feed.xml", "/atom.xml"}
CACHEABLE_PREFIXES = ("/article/", "/tag/", "/rubric/", "/source/", "/lang/", "/api/v1/articles", "/api/v1/tags",
                      "/api/v1/rubrics", "/api/v1/outlets", "/api/v1/langs")
PAGE_CACHE_BYTES = 64 * 1024 * 1024  # per worker process


def cacheable(path: str) -> bool:
    """Responses that depend only on the archive (and the URL): safe to keep until the next commit."""
    return path in CACHEABLE_EXACT or path.startswith(CACHEABLE_PREFIXES)


def create_app(settings: Settings, extra_routers: Iterable[APIRouter] = (),
               page_cache_bytes: int = PAGE_CACHE_BYTES) -> FastAPI:
    """The site and the API over the archive at ``settings.database_url``.  ``extra_routers`` are
    included before the built-in ones; ``page_cache_bytes=0`` turns the response cache off."""
    settings.check()
    limit_malloc_arenas(settings.malloc_arenas)
    app = FastAPI(title="newsdesk API", version=__version__, description=DESCRIPTION, lifespan=_lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  dependencies=[Depends(url_length)])
    app.state.settings = settings
    app.state.archive = open_archive(settings.database_url)
    _small_page_cache(app.state.archive)
    app.state.templates = environment()
    routers = [*extra_routers, *ROUTERS]
    app.state.has_route = _route_checker(routers)
    app.state.error_context = _error_context
    app.state.version = ArchiveVersion(app.state.archive)
    app.state.memo = Memo(app.state.version)
    errors.install(app)
    app.add_middleware(ResponseCache, version=app.state.version, cacheable=cacheable, max_bytes=page_cache_bytes,
                       variant=i18n.cache_variant)
    app.add_middleware(BodyLimit, limit=settings.max_write_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in routers:
        app.include_router(router)
    return app


M_ARENA_MAX = -8  # mallopt's parameter, from glibc's malloc.h


def limit_malloc_arenas(arenas: int) -> bool:
    """Cap glibc's malloc arenas for this process (as ``MALLOC_ARENA_MAX`` would); True when set.

    The server answers from a pool of 40 threads, and glibc gives busy threads arenas of their own,
    which keep freed memory apart.  In `bench/web.py` (two workers, page cache off) two arenas cut the
    resident memory from 497–542 MB to 405–457 MB at the same throughput.  Called before the
    server's threads start (``NEWSDESK_MALLOC_ARENAS``); an explicit ``MALLOC_ARENA_MAX`` wins."""
    if arenas <= 0 or "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl has no arenas to cap)
        return False
    return bool(libc.mallopt(M_ARENA_MAX, arenas))


SQLITE_CACHE_KB = 4096  # per pooled connection; the OS page cache holds the rest of the file


def _small_page_cache(archive: Archive) -> None:
    """Each pooled SQLite connection keeps its own page cache; at the archive's default (64 MB) a
    busy server's pool would hold the database many times over.  The site's reads are served well
    from the OS page cache, so its connections keep a small one."""
    if archive.is_sqlite:
        event.listen(archive.engine, "connect", _cache_pragma)
        archive.engine.dispose()  # connections opened during migrations get the pragma too


def _cache_pragma(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    cursor.close()


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (and several workers): settings from the environment."""
    return create_app(Settings())  # type: ignore[call-arg]  # every field has a default, read from the env


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


def _route_checker(routers: Iterable[APIRouter]) -> Any:
    """``has_route('/entity/')``: whether some router serves paths starting so (templates link only then).
    It reads the routers themselves: since FastAPI 0.165 ``app.routes`` holds an included router as one
    wrapper without a path, and the article page lost its entity links."""
    paths = [getattr(r, "path", "") for router in routers for r in router.routes]
    cache: dict[str, bool] = {}

    def has_route(prefix: str) -> bool:
        if prefix not in cache:
            cache[prefix] = any(path.startswith(prefix) for path in paths)
        return cache[prefix]

    return has_route


def _error_context(request: Request) -> dict[str, Any]:
    try:
        with request.app.state.archive.engine.connect() as conn:
            return views.not_found(conn, request.app.state.memo)
    except Exception:  # noqa: BLE001 - the 404 page must render even when the archive cannot help
        log.exception("404 suggestions failed")
        return {}
