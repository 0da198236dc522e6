"""Search: the ``/search`` page and its JSON twin, and ``/api/v1/search``.

Both call ``newsdesk.search.search`` with the same filters; hits carry HTML-escaped snippets and
titles with ``<mark>`` around the words that matched.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from newsdesk import search as engine
from newsdesk.errors import QueryError
from newsdesk.search.fastindex import for_settings
from newsdesk.search.query import MAX_CLAUSES, MAX_PHRASE_WORDS
from newsdesk.sources.fields import ALMATY
from newsdesk.store.listing import page_url
from newsdesk.web.errors import ApiError
from newsdesk.web.i18n import Msg
from newsdesk.web.render import render, wants_json
from newsdesk.web.routes.deps import Conn, ReleasingRoute
from newsdesk.web.schemas import Lang, Rubric, errors

router = APIRouter(route_class=ReleasingRoute)
Q = Annotated[str, Query(description='Words (any form) and "quoted phrases"; all must match, except: '
                                     '`a OR b` (either), `-word`, `-"phrase"`, `NOT word` (must not match). '
                                     'A query that only excludes, has more than 12 words and phrases, or a '
                                     'quoted phrase of more than 16 words, is a 422.')]
Tag = Annotated[str | None, Query(description="Tag name or slug.")]
Since = Annotated[datetime | None, Query(description="Published at or after (ISO 8601; no zone = Asia/Almaty).")]
Until = Annotated[datetime | None, Query(description="Published before (ISO 8601; no zone = Asia/Almaty).")]
Limit = Annotated[int, Query(ge=1, le=100, description="Hits per page (1–100).")]
Offset = Annotated[int, Query(ge=0, le=10_000, description="Hits to skip.")]
Recency = Annotated[bool, Query(description="Favour recent articles (the same as `sort=recency`).")]
Order = Literal["relevance", "recency", "date"]
ORDERS: dict[str, Order] = {"relevance": "relevance", "recency": "recency", "date": "date"}
Sort = Annotated[Order | None, Query(description="`relevance` (best first, the default), `recency` (best first, "
                                                 "recent articles favoured) or `date` (newest first, undated last).")]
Page = Annotated[int, Query(ge=1, le=500)]


class CopyOut(BaseModel):
    id: str
    source: str | None
    page_url: str


class HitOut(BaseModel):
    id: str
    score: float
    title: str
    title_highlighted: str
    snippet: str
    url: str | None
    source: str | None
    published_at: datetime | None
    lang: str | None
    rubric: str | None
    page_url: str
    copies: list[CopyOut] = []  # copies of this article that matched too, folded into it


class SearchOut(BaseModel):
    query: str
    total: int  # results as paging walks them (copies folded under their originals); exact when total_exact
    total_exact: bool = True  # false past 1,000 matches: total is then ``matches``, an upper bound
    matches: int = 0  # every matching article, copies too
    took_ms: float
    items: list[HitOut]
    folded: int = 0  # copies on this page shown under their originals (``copies``), not as hits of their own


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=ALMATY) if value is not None and value.tzinfo is None else value


def _run(request: Request, conn: Conn, q: str, filters: engine.Filters, limit: int, offset: int,
         order: Order) -> dict[str, Any]:
    index = for_settings(request.app.state.settings)
    found = engine.search(conn, q, filters, limit=limit, offset=offset, recency=order == "recency", index=index,
                          newest=order == "date")
    items = [{**_hit(h), "page_url": page_url(h.id)} for h in found.items]
    return {"query": q, "total": found.total, "total_exact": found.exact, "matches": found.matches,
            "took_ms": round(found.took_ms, 1), "items": items, "folded": sum(len(h.copies) for h in found.items)}


def _hit(hit: engine.Hit) -> dict[str, Any]:
    fields = {name: getattr(hit, name) for name in ("id", "score", "title", "title_highlighted", "snippet", "url",
                                                    "source", "published_at", "lang", "rubric")}
    return {**fields, "copies": [{"id": i, "source": source, "page_url": page_url(i)} for i, source in hit.copies]}


ONLY_EXCLUDED = "Запрос только исключает слова (-слово, NOT слово): добавьте слово или фразу, которые нужно найти."
LONG_PHRASE = "Во фразе в кавычках слов: {n}, а фразой ищется не больше {max}. Сократите её или уберите кавычки."
TOO_MANY = ("Слов и фраз в запросе: {n}, а вместе ищется не больше {max}. Уберите лишние или возьмите формулировку "
            "в кавычки — фраза считается за одну.")


BAD_DAY = "Дата «{value}» не похожа на день: напишите её как 2026-11-24."


class BadDay(ValueError):
    def __init__(self, value: str, field: str) -> None:
        super().__init__(value)
        self.value, self.field = value, field


def _day(value: str | None, field: str, days_after: int = 0) -> datetime | None:
    """A day the page's date field gives («2026-11-24»), as the Almaty midnight that starts it (``days_after``
    more: «until» takes in its whole day); a value that is no day is the page's 422 on ``field``."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise BadDay(value[:40], field) from None
    return datetime(day.year, day.month, day.day, tzinfo=ALMATY) + timedelta(days=days_after)


def refusal(q: str) -> Msg:
    """Why the page does not search ``q``, in the reader's language (the API says it in ``QueryError``)."""
    parsed = engine.parse(q)
    if parsed.size > MAX_CLAUSES:
        return Msg(TOO_MANY, {"n": parsed.size, "max": MAX_CLAUSES})
    if parsed.longest_phrase > MAX_PHRASE_WORDS:
        return Msg(LONG_PHRASE, {"n": parsed.longest_phrase, "max": MAX_PHRASE_WORDS})
    return Msg(ONLY_EXCLUDED)


@router.get("/api/v1/search", response_model=SearchOut, tags=["search"], responses=errors(422),
            summary="Full-text search in Russian and Kazakh: any word form, phrases, filters")
def api_search(request: Request, conn: Conn, q: Q = "", tag: Tag = None, rubric: Rubric | None = None,
               lang: Lang | None = None, source: str | None = None, since: Since = None, until: Until = None,
               limit: Limit = 20, offset: Offset = 0, recency: Recency = False, sort: Sort = None) -> dict[str, Any]:
    filters = engine.Filters(tag, rubric, lang, source, _aware(since), _aware(until))
    return _run(request, conn, q, filters, limit, offset, _order(sort, recency))


def _order(sort: Order | None, recency: bool) -> Order:
    """The order asked for: ``sort``, else ``recency=true`` (the older parameter), else relevance."""
    return sort or ("recency" if recency else "relevance")


@router.get("/search", include_in_schema=False)
def search_page(request: Request, conn: Conn, q: Q = "", tag: Tag = None, rubric: str | None = None,
                lang: str | None = None, source: str | None = None, page: Page = 1,
                recency: Recency = False, since: str | None = None, until: str | None = None,
                sort: str | None = None) -> Response:
    size = request.app.state.settings.page_size
    tag, rubric, lang, source = tag or None, rubric or None, lang or None, source or None  # «все» sends ""
    order = _order(ORDERS.get(sort or ""), recency)  # an odd «sort» on the page: relevance
    shown = {"q": q, "page": page, "lang": lang, "rubric": rubric, "since": since or "", "until": until or "",
             "sort": order}
    refused: Msg | None = None
    try:
        filters = engine.Filters(tag, rubric, lang, source, _day(since, "since"), _day(until, "until", 1))
        context = _run(request, conn, q, filters, size, (page - 1) * size, order)
    except BadDay as exc:
        refused = Msg(BAD_DAY, {"value": exc.value})
        if wants_json(request):
            raise ApiError(422, f"{exc.value!r} is no day: write it as 2026-11-24", exc.field) from None
    except QueryError:
        if wants_json(request):
            raise  # the JSON twin answers with the API's one error shape
        refused = refusal(q)
    if refused is not None:
        return render(request, "search.html", {**shown, "title": Msg("Поиск: {q}", {"q": q}), "items": [],
                                               "error": refused}, 422, content_lang=lang)
    params = {k: v for k, v in (("q", q), ("tag", tag), ("rubric", rubric), ("lang", lang), ("source", source),
                                ("since", since), ("until", until),
                                ("sort", order if order != "relevance" else None)) if v}
    more = len(context["items"]) == size and page * size < context["total"]
    back = page > 1 and bool(context["items"])  # past the end: «К первой странице», not «Назад» to another empty page
    context.update(shown, title=Msg("Поиск: {q}", {"q": q}) if q.strip() else Msg("Поиск"),
                   next_page=f"/search?{urlencode({**params, 'page': page + 1})}" if more else None,
                   first_page=f"/search?{urlencode(params)}",
                   prev_page=f"/search?{urlencode({**params, 'page': page - 1})}" if back else None)
    return render(request, "search.html", context, content_lang=lang)
