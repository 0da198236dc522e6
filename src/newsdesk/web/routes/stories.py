"""Stories, entities, trending tags, the tag audit and explanations: pages with JSON twins and their
API endpoints (`/story/{id}`, `/entity/{slug}`, `/audit`; `/api/v1/threads`, `/api/v1/trending`,
`/api/v1/articles/{id}/related`, `/api/v1/articles/{id}/explain`, `/api/v1/entities/{slug}`,
`/api/v1/audit`, `/api/v1/audit/variants`)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from newsdesk.errors import NotFound
from newsdesk.sources.fields import ALMATY
from newsdesk.stages.tagging import tag_model_age
from newsdesk.store import listing, stories
from newsdesk.store.audit import editor_tagged_count
from newsdesk.store.listing import BadCursor, Cursor, Filter, decode_cursor
from newsdesk.store.queries import get_article
from newsdesk.tags import TagOptions
from newsdesk.web import paging, views
from newsdesk.web.errors import ApiError
from newsdesk.web.i18n import Msg, mostly
from newsdesk.web.render import json_response, render
from newsdesk.web.routes.deps import Conn, ReleasingRoute
from newsdesk.web.schemas import (
    AuditList,
    EntityPageOut,
    ExplainOut,
    Lang,
    RelatedList,
    Rubric,
    StoryDetailOut,
    StoryList,
    TrendList,
    VariantList,
    errors,
)

router = APIRouter(route_class=ReleasingRoute)
Period = Annotated[int, Query(ge=60, le=90 * 86400, description="Seconds counted back from now "
                              "(or from the newest article of an older archive).")]
Limit = Annotated[int, Query(ge=1, le=100, description="At most this many items.")]
After = Annotated[str | None, Query(max_length=400, description="`next_cursor` of the previous page.")]
CursorQ = Annotated[str | None, Query(max_length=400, description="`next_cursor` of the previous page.")]
LangQ = Annotated[Lang | None, Query(description="Only articles in this language.")]
RubricQ = Annotated[Rubric | None, Query(description="Only articles of this rubric.")]
MOVED: dict[int | str, dict[str, Any]] = {301: {"description": "Moved: a re-analysis gave it another id; "
                                                 "the Location header names it"}}
TRENDS_PER_WINDOW = 1000  # every trending tag: a window has a few dozen at most


def _found(value: Any, what: str) -> Any:
    if value is None:
        raise NotFound(f"no {what}")
    return value


@router.get("/story/{thread_id:path}", include_in_schema=False)
def story_page(request: Request, conn: Conn, thread_id: str) -> Response:
    found = _story(request, conn, thread_id)
    if isinstance(found, Response):
        return found
    told_in = mostly(c["lang"] for c in found["timeline"])  # a mostly Kazakh story speaks Kazakh
    return render(request, "story.html", {"title": found["title"], "story": found}, content_lang=told_in)


def _story(request: Request, conn: Conn, thread_id: str) -> dict[str, Any] | Response:
    """The story, or a permanent redirect to the one a rethread gave most of its articles (its id was its
    first article's, and that article now opens or joins another), or NotFound."""
    found = stories.story(conn, thread_id)
    if found is not None:
        return found
    moved = stories.moved_story(conn, thread_id)
    if moved is None:
        raise NotFound(f"no story {thread_id!r}")
    api = request.url.path.startswith("/api/")
    return _moved(request, ("/api/v1/threads/" + quote(moved, safe="")) if api else stories.story_url(moved))


def _entity(request: Request, conn: Conn, slug: str) -> dict[str, Any] | Response:
    """The entity, or a permanent redirect to the page a re-analysis moved it to (a Kazakh spelling's old
    slug, a surname alone now read as the full name), or NotFound."""
    found = stories.entity(conn, slug)
    if found is not None:
        return found
    moved = stories.moved_entity(conn, slug)
    if moved is None:
        raise NotFound(f"no entity {slug!r}")
    return _moved(request, request.url.path.rsplit("/", 1)[0] + "/" + quote(moved, safe=""))  # same page or API


def _moved(request: Request, path: str) -> RedirectResponse:
    """A permanent redirect to ``path``, the request's query kept (its page, its cursor)."""
    return RedirectResponse(path + (f"?{request.url.query}" if request.url.query else ""), status_code=301)


@router.get("/entity/{slug}", include_in_schema=False)
def entity_page(request: Request, conn: Conn, slug: str, after: After = None) -> Response:
    found = _entity(request, conn, slug)
    if isinstance(found, Response):
        return found
    cursor = _after(after)
    ids, nxt = listing.page_ids(conn, Filter(entity=slug), request.app.state.settings.page_size, cursor)
    context = {"title": found["name"], "entity": found, "items": listing.cards(conn, ids), "next_cursor": nxt,
               "is_first": cursor is None}
    return render(request, "entity.html", context)


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, conn: Conn) -> Response:
    flags = stories.audit(conn)
    age = tag_model_age(conn)
    # what the audit learnt from: the stored model's training count (the archive's count moves with its edits)
    tagged = (age.trained_on if age is not None else editor_tagged_count(conn)) if flags else 0
    small = flags and tagged < TagOptions().audit_rule_articles
    return render(request, "audit.html", {"title": Msg("Проверка тегов"), "flags": flags, "tagged": tagged,
                                          "small_archive": small, "rule_articles": TagOptions().audit_rule_articles,
                                          "variants": stories.tag_variants(conn),
                                          "tag_model": age and asdict(age) | {"changes": age.changes}})


@router.get("/api/v1/threads", tags=["stories"], summary="Top stories, ranked", response_model=StoryList,
            responses=errors(422))
def threads_api(conn: Conn, period: Period = 3 * 86400, lang: LangQ = None, rubric: RubricQ = None,
                tag: Annotated[str | None, Query(description="Tag name or slug («Алматы», almaty).")] = None,
                limit: Limit = 20, cursor: CursorQ = None,
                min_sources: Annotated[int, Query(ge=1, le=1000, description="Only stories told by at least "
                                                  "this many independent sources (2: no single items).")] = 1,
                until: Annotated[datetime | None, Query(description="End of the period (ISO 8601; without a zone, "
                                                        "Almaty time): the top stories as they stood then. "
                                                        "Default: now, or the newest article.")] = None,
                ) -> Response:
    """Stories active in the period, ranked by independent sources, growth and freshness.  The ranking is
    kept as it stood at the first page while ``next_cursor`` is walked: every story comes once."""
    at = until.replace(tzinfo=ALMATY) if until is not None and until.tzinfo is None else until
    tag = views.tag_filter(tag, conn) if tag else None
    query = {"period": period, "lang": lang, "rubric": rubric, "tag": tag, "min_sources": min_sources, "until": at}
    where = paging.decode(cursor, "threads", query)
    where = where if where.at else paging.Position(where.offset, stories.reference_time(conn, at))
    items = stories.top_stories(conn, timedelta(seconds=period), lang, rubric, tag, limit + 1, now=where.at,
                                min_sources=min_sources, offset=where.offset)
    return json_response(paging.page(items, where, limit, "threads", query))


@router.get("/api/v1/threads/{thread_id:path}", tags=["stories"], summary="One story with its timeline",
            response_model=StoryDetailOut, responses={**errors(404), **MOVED})
def thread_api(request: Request, conn: Conn, thread_id: str) -> Response:
    found = _story(request, conn, thread_id)
    return found if isinstance(found, Response) else json_response(found)


@router.get("/api/v1/trending", tags=["stories"], summary="Tags heating up (24 h and 7 days)",
            response_model=TrendList, responses=errors(422))
def trending_api(conn: Conn, limit: Limit = 20, cursor: CursorQ = None) -> Response:
    """The 24-hour window's tags first, then the 7 days', each best first; the ranking is kept as it stood at
    the first page while ``next_cursor`` is walked."""
    where = paging.decode(cursor, "trending", {})
    where = where if where.at else paging.Position(where.offset, stories.reference_time(conn))
    items = stories.trending_tags(conn, now=where.at, limit=TRENDS_PER_WINDOW)[where.offset:where.offset + limit + 1]
    return json_response(paging.page(items, where, limit, "trending", {}))


@router.get("/api/v1/articles/{article_id}/related", tags=["articles"], summary="Related news",
            response_model=RelatedList, responses=errors(404, 422))
def related_api(conn: Conn, article_id: str, limit: Limit = 12) -> Response:
    """Its story first, then articles sharing tags and entities, then the latest; no self, no copies.
    One short list, not paged: ``next_cursor`` is always null."""
    article = _found(get_article(conn, article_id), f"article {article_id!r}")
    return json_response({"items": stories.related(conn, article, limit), "next_cursor": None})


@router.get("/api/v1/articles/{article_id}/explain", tags=["articles"], summary="Why this rubric and these tags",
            response_model=ExplainOut, responses=errors(404))
def explain_api(conn: Conn, article_id: str) -> Response:
    return json_response(_found(stories.explain(conn, article_id), f"article {article_id!r}"))


@router.get("/api/v1/entities/{slug}", tags=["entities"], summary="An entity and the articles mentioning it",
            response_model=EntityPageOut, responses={**errors(404, 422), **MOVED})
def entity_api(request: Request, conn: Conn, slug: str, limit: Limit = 20, after: After = None) -> Response:
    found = _entity(request, conn, slug)
    if isinstance(found, Response):
        return found
    ids, nxt = listing.page_ids(conn, Filter(entity=slug), limit, _after(after))
    return json_response({**found, "items": listing.cards(conn, ids), "next_cursor": nxt})


def _after(after: str | None) -> Cursor | None:
    """The ``?after=`` cursor of a feed page; a bad one is a 422 on ``after``."""
    try:
        return decode_cursor(after) if after else None
    except BadCursor as exc:
        raise ApiError(422, f"{exc}; pass the next_cursor of a previous page", "after") from exc


@router.get("/api/v1/audit/variants", tags=["tags"], summary="Editor tags that look like one tag",
            response_model=VariantList)
def variants_api(conn: Conn) -> Response:
    """Groups of editor tags spelled several ways («театр», «театры»), most used first: each with its tags
    (most used first, with their article counts), the reading that joined them (``spelling``, ``word forms``,
    ``person``) and the spelling to keep (the most used).  Listed whole: ``next_cursor`` is always null."""
    return json_response({"items": stories.tag_variants(conn), "next_cursor": None})


@router.get("/api/v1/audit", tags=["tags"], summary="Editor tags that do not fit, worst first",
            response_model=AuditList, responses=errors(422))
def audit_api(conn: Conn, limit: Limit = 100, cursor: CursorQ = None) -> Response:
    where = paging.decode(cursor, "audit", {})
    items = stories.audit(conn)[where.offset:where.offset + limit + 1]
    return json_response(paging.page(items, where, limit, "audit", {}))
