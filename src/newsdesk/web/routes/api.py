"""The JSON API under ``/api/v1``: articles (list, get, create, update, delete), tags with counts,
rubrics, sources and languages.  Reads are public; writes need the bearer token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.errors import NotFound
from newsdesk.sources.fields import ALMATY
from newsdesk.store import editing, listing, tagmerge
from newsdesk.store.listing import Filter, decode_cursor
from newsdesk.store.queries import article_dicts, get_article
from newsdesk.web import views
from newsdesk.web.errors import ApiError
from newsdesk.web.render import tag_labels
from newsdesk.web.routes.deps import Conn, ReleasingRoute, Writer, archive
from newsdesk.web.schemas import (
    ArticleIn,
    ArticleList,
    ArticleOut,
    ArticlePatch,
    FacetList,
    Lang,
    Rubric,
    TagKind,
    TagList,
    TagMergeIn,
    TagMergeOut,
    errors,
)

router = APIRouter(prefix="/api/v1", tags=["articles"], route_class=ReleasingRoute)
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page (1–100).")]
CursorQ = Annotated[str | None, Query(max_length=400, description="`next_cursor` of the previous page.")]


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=ALMATY) if value is not None and value.tzinfo is None else value


def with_page_url(article: dict[str, Any]) -> dict[str, Any]:
    return {**article, "page_url": listing.page_url(article["id"]), "tag_labels": tag_labels(article)}


@router.get("/articles", response_model=ArticleList, responses=errors(422), summary="List articles, newest first")
def list_articles(
    conn: Conn, limit: Limit = 20, cursor: CursorQ = None,
    tag: Annotated[str | None, Query(description="Tag name or slug: «Пенсия 2026» or pensiya-2026.")] = None,
    rubric: Rubric | None = None, lang: Lang | None = None, source: str | None = None,
    kind: Annotated[str | None, Query(pattern="^(article|headline)$")] = None,
    since: Annotated[datetime | None, Query(description="Published at or after (ISO 8601).")] = None,
    until: Annotated[datetime | None, Query(description="Published before (ISO 8601).")] = None,
) -> dict[str, Any]:
    tag = views.tag_filter(tag, conn) if tag else None
    flt = Filter(tag=tag, rubric=rubric, lang=lang, source=source, kind=kind, since=_aware(since), until=_aware(until),
                 copies=True)
    ids, nxt = listing.page_ids(conn, flt, limit, decode_cursor(cursor) if cursor else None)
    return {"items": [with_page_url(a) for a in article_dicts(conn, ids)], "next_cursor": nxt}


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=errors(404), summary="One article")
def read_article(conn: Conn, article_id: str) -> dict[str, Any]:
    found = get_article(conn, article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id!r}")
    return with_page_url(found)


@router.post("/articles", response_model=ArticleOut, status_code=201, dependencies=[Writer],
             responses=errors(401, 409, 413, 422, e409="The id is taken"),
             summary="Create an article (stored through the ingest pipeline)")
async def create_article(request: Request, body: ArticleIn, response: Response) -> dict[str, Any]:
    data = body.model_dump(exclude_none=True)
    stored = await run_in_threadpool(editing.create_article, archive(request), data)
    request.app.state.version.bump()
    response.headers["Location"] = f"/api/v1/articles/{quote(stored['id'], safe='')}"
    return with_page_url(stored)


@router.patch("/articles/{article_id}", response_model=ArticleOut, dependencies=[Writer],
              responses=errors(401, 404, 413, 422), summary="Change an article; the earlier version is kept")
async def update_article(request: Request, article_id: str, body: ArticlePatch) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    for field in ("kind", "title", "lead", "text", "tags", "rejected_tags"):
        if field in changes and changes[field] is None:
            raise ApiError(422, f"{field}: may not be null", field)
    stored = await run_in_threadpool(editing.update_article, archive(request), article_id, changes)
    request.app.state.version.bump()
    return with_page_url(stored)


@router.delete("/articles/{article_id}", status_code=204, dependencies=[Writer], responses=errors(401, 404),
               summary="Delete an article with its tags, entities and revisions")
async def delete_article(request: Request, article_id: str) -> Response:
    await run_in_threadpool(editing.delete_article, archive(request), article_id)
    request.app.state.version.bump()
    return Response(status_code=204)


@router.post("/tags/merge", response_model=TagMergeOut, dependencies=[Writer], responses=errors(401, 404, 413, 422),
             summary="Merge tag variants into one tag")
async def merge_tags(request: Request, body: TagMergeIn) -> dict[str, Any]:
    """Every article's variant tags become the kept tag (an article with both keeps one); the variants'
    pages redirect to the kept tag's.  `newsdesk train` then teaches the tag model the merged vocabulary."""
    done = await run_in_threadpool(_merge, archive(request), body.tags, body.into)
    request.app.state.version.bump()
    return {"into": done.into, "slug": done.slug, "merged": list(done.merged), "articles": done.articles,
            "edited": done.edited, "page_url": f"/tag/{quote(done.slug)}"}


def _merge(store: Any, variants: list[str], into: str) -> tagmerge.Merged:
    with store.engine.begin() as conn:
        return tagmerge.merge_tags(conn, variants, into)


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise ApiError(422, f"not a cursor this site gave out: {cursor[:40]!r}", "cursor")
    return int(cursor)


@router.get("/tags", response_model=TagList, tags=["tags"], responses=errors(422),
             summary="Tags with article counts, most used first")
def list_tags(conn: Conn, limit: Limit = 100, cursor: CursorQ = None,
              kind: Annotated[TagKind | None, Query(description="Only tags of this kind.")] = None,
              ) -> dict[str, Any]:
    start = _offset(cursor)
    rows = listing.tags_with_counts(conn, limit + 1, start, kind)
    items = [{**t, "page_url": f"/tag/{quote(t['slug'])}"} for t in rows[:limit]]
    return {"items": items, "next_cursor": str(start + limit) if len(rows) > limit else None}


def _facet(conn: Conn, column: str, prefix: str) -> dict[str, Any]:
    rows = listing.facet(conn, column)
    return {"items": [{**r, "page_url": f"/{prefix}/{quote(r['name'], safe='')}"} for r in rows], "next_cursor": None}


@router.get("/rubrics", response_model=FacetList, tags=["facets"], summary="Rubrics with article counts")
def list_rubrics(conn: Conn) -> dict[str, Any]:
    return _facet(conn, "rubric", "rubric")


@router.get("/outlets", response_model=FacetList, tags=["facets"], summary="Outlets with article counts")
def list_sources(conn: Conn) -> dict[str, Any]:
    return _facet(conn, "source", "source")


@router.get("/langs", response_model=FacetList, tags=["facets"], summary="Languages with article counts")
def list_langs(conn: Conn) -> dict[str, Any]:
    return _facet(conn, "lang", "lang")
