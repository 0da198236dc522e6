"""Watched sources on the web: the ``/sources`` page (JSON twin at ``?format=json``) and the API.

    GET    /api/v1/sources          every source with its health
    GET    /api/v1/sources/{id}     one source
    POST   /api/v1/sources          watch a new source (bearer token)
    DELETE /api/v1/sources/{id}     stop watching it (bearer token; its articles stay)

The outlets found in articles (with counts) are listed at ``GET /api/v1/outlets``; `API` is the one
place that names this router's path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.store.sources import SourceExists, add_source, list_sources, remove_source, source_health
from newsdesk.web.errors import ApiError
from newsdesk.web.i18n import Msg
from newsdesk.web.render import render
from newsdesk.web.routes.deps import Conn, ReleasingRoute, Writer
from newsdesk.web.schemas import errors

API = "/api/v1/sources"
router = APIRouter(tags=["sources"], route_class=ReleasingRoute)


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="Feed, news sitemap or section page (http or https).")
    name: str | None = Field(None, max_length=200, description="Outlet name for its articles; the host if absent.")
    interval_s: int = Field(900, ge=60, le=604800, description="Seconds between polls.")
    lang: str | None = Field(None, max_length=8, description="Language of its articles (ru, kk) when known.")
    kind: Literal["auto", "feed", "sitemap", "html"] = Field("auto", description="auto: detected at each poll.")


class SourceOut(BaseModel):
    id: int
    url: str
    name: str
    kind: str
    interval_s: int
    lang: str | None
    enabled: bool
    status: str = Field(description="new (never polled), ok, failing or disabled.")
    created_at: datetime | None
    last_polled: datetime | None
    next_poll: datetime | None
    last_success: datetime | None
    last_error: str | None = Field(description="The last failure's reason (kept after recovery).")
    last_error_at: datetime | None
    consecutive_failures: int = Field(description="Failed polls in a row; the source backs off meanwhile.")
    items_per_day: float = Field(description="New articles and revisions per day over the last 7 days.")
    median_latency_ms: float | None = Field(description="Over its last 20 successful polls.")
    fetches: int = Field(description="Polls in the last 7 days.")


class SourceList(BaseModel):
    items: list[SourceOut]
    next_cursor: None = None


@router.get("/sources", include_in_schema=False)
def sources_page(request: Request, conn: Conn) -> Response:
    items = [h.as_dict(iso=False) for h in list_sources(conn)]
    return render(request, "sources.html", {"title": Msg("Источники"), "items": items, "api": API})


@router.get(API, response_model=SourceList, summary="Watched sources with their health")
def list_watched(conn: Conn) -> dict[str, Any]:
    return {"items": [h.as_dict() for h in list_sources(conn)], "next_cursor": None}


@router.get(API + "/{source_id}", response_model=SourceOut, responses=errors(404, 422, e404="No such source"),
            summary="One watched source")
def read_watched(conn: Conn, source_id: int) -> dict[str, Any]:
    return source_health(conn, source_id).as_dict()


@router.post(API, response_model=SourceOut, status_code=201, dependencies=[Writer],
             responses=errors(401, 409, 413, 422, e409="The URL is already watched"),
             summary="Watch a new source")
def add_watched(request: Request, body: SourceIn, response: Response) -> dict[str, Any]:
    settings = request.app.state.settings
    with request.app.state.archive.engine.begin() as conn:
        try:
            source = add_source(conn, body.url, body.name, body.interval_s, body.lang, body.kind,
                                private_ok=settings.fetch_allow_private)
        except SourceExists as exc:
            raise ApiError(409, exc.reason, "url") from exc
        created = source_health(conn, source.id).as_dict()
    response.headers["Location"] = f"{API}/{source.id}"
    return created


@router.delete(API + "/{source_id}", status_code=204, dependencies=[Writer],
               responses=errors(401, 404, 422, e404="No such source"),
               summary="Stop watching a source (its articles stay)")
def remove_watched(request: Request, source_id: int) -> Response:
    with request.app.state.archive.engine.begin() as conn:
        remove_source(conn, source_id)
    return Response(status_code=204)
