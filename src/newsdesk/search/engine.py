"""search(), index(), remove(): the one interface over both backends."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, text

from newsdesk.errors import QueryError
from newsdesk.records import Article
from newsdesk.search import fold, postgres, snippets, sqlite
from newsdesk.search.filters import Filters, condition
from newsdesk.search.plan import Plan
from newsdesk.search.query import Query, parse
from newsdesk.search.terms import IndexedDoc, analyze_fields, day_number, version
from newsdesk.store.types import UTCDateTime

if TYPE_CHECKING:
    from newsdesk.search.fastindex import FastIndex

log = logging.getLogger(__name__)
MAX_LIMIT = 100
MAX_OFFSET = 10_000


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float  # the best score of the story: this article or one of its folded copies
    snippet: str  # HTML: escaped text with <mark> around the matched words
    title_highlighted: str  # HTML, likewise
    title: str = ""
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    lang: str | None = None
    rubric: str | None = None
    copies: tuple[tuple[str, str | None], ...] = ()  # (id, source) of its copies that match too, folded here


@dataclass(frozen=True, slots=True)
class Results:
    """One page of results.  ``total`` counts results as paging walks them (a copy folded under its
    original is not one); it is exact when ``exact``, else it is ``matches``, an upper bound."""

    items: list[Hit] = field(default_factory=list)
    total: int = 0
    took_ms: float = 0.0
    matches: int = 0  # every matching article, copies too
    exact: bool = True


def backend(conn: Connection) -> ModuleType:
    return postgres if conn.dialect.name == "postgresql" else sqlite


def search(conn: Connection, query: str | Query, filters: Filters | None = None, limit: int = 20,
           offset: int = 0, recency: bool = False, index: FastIndex | None = None, newest: bool = False) -> Results:
    """Articles matching every word (any form) and «phrase» of ``query`` (``OR`` lets either neighbour
    match, ``-word`` excludes), best first (``newest``: newest first, undated last); a query ``Query.problem``
    refuses raises ``QueryError``.

    ``index``: a tantivy index that follows this archive (``fastindex.for_settings``); it answers
    when it can, the database's own index otherwise — the hits are the same."""
    started = time.perf_counter()
    parsed = query if isinstance(query, Query) else parse(query)
    if parsed.problem:
        raise QueryError(parsed.problem)
    if not parsed:
        return Results()
    filters = filters or Filters()
    plan = Plan(parsed, condition(filters), max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET)),
                recency, day_number(datetime.now(UTC)) or 0, newest)
    if index is not None and not newest and index.supports(filters) and index.sync(conn) >= 0:
        found = fold.page(conn, plan, lambda p: index.ranked(p, filters), backend(conn))
    else:
        found = fold.page(conn, plan, lambda p: ranked_in_database(conn, p), backend(conn))
    total, exact = fold.total(conn, plan, found.matches, backend(conn))
    items = hits(conn, found.ranked, parsed, found.copies)
    took = (time.perf_counter() - started) * 1000
    log.debug("search %r: %d of %d in %.1f ms", parsed.fts5(), len(items), total, took)
    return Results(items, total, took, found.matches, exact)


def ranked_in_database(conn: Connection, plan: Plan) -> tuple[list[tuple[str, float]], int]:
    engine = backend(conn)
    ranked = engine.ranked(conn, plan)
    return ranked, (engine.count(conn, plan) if ranked or plan.offset else 0)


ARTICLE_SQL = ("SELECT id, title, lead, body, lang, url, source, published_at, rubric, duplicate_of FROM articles "
               "WHERE id IN :ids")


def hits(conn: Connection, ranked: Sequence[tuple[str, float]], query: Query,
         copies: dict[str, list[tuple[str, str | None]]] | None = None) -> list[Hit]:
    """Hits with highlighted title and snippet, in ``ranked`` order (articles gone since are left out),
    each with its ``copies`` (``fold.page`` decides them: a reprint and its original are one result)."""
    if not ranked:
        return []
    stmt = text(ARTICLE_SQL).bindparams(bindparam("ids", expanding=True)).columns(published_at=UTCDateTime())
    rows = {r.id: r for r in conn.execute(stmt, {"ids": [i for i, _ in ranked]})}
    copies = copies or {}
    return [_hit(rows[i], score, query.terms, tuple(copies.get(i, ()))) for i, score in ranked if i in rows]


def _hit(row: Any, score: float, terms: frozenset[str], copies: tuple[tuple[str, str | None], ...] = ()) -> Hit:
    paragraphs = [row.lead, *row.body.split("\n\n")]
    published = row.published_at.astimezone(UTC) if row.published_at else None
    title = snippets.highlight(row.title, row.lang, terms)
    snippet = snippets.snippet(paragraphs, row.lang, terms, scan="<mark>" not in title)
    return Hit(row.id, round(score, 6), snippet, title, row.title, row.url, row.source, published, row.lang,
               row.rubric, copies)


def analyze_article(article: Article) -> IndexedDoc:
    return analyze_fields(article.id or "", article.title, article.lead, article.body, article.lang,
                          article.published_at)


def index(conn: Connection, articles: Iterable[Article]) -> int:
    """Index (or reindex) stored articles; call inside the transaction that wrote them."""
    batch = [analyze_article(a) for a in articles if a.id]
    return write(conn, batch)


def write(conn: Connection, batch: Sequence[IndexedDoc]) -> int:
    """Index already analysed documents (what ``index`` and ``reindex`` do after analysis)."""
    if batch:
        backend(conn).write(conn, batch, version())
    return len(batch)


def remove(conn: Connection, ids: Sequence[str]) -> int:
    """Drop articles from the index; returns how many were indexed."""
    return backend(conn).delete(conn, list(ids)) if ids else 0


class SearchStage:
    """Pipeline stage: indexes each batch after it is written."""

    name = "search"

    def __call__(self, article: Article) -> None:
        """Nothing per article: analysis happens in ``save``, once the articles have their ids."""

    def save(self, conn: Connection, articles: list[Article]) -> None:
        count = index(conn, articles)
        log.info("search: indexed %d articles", count)
