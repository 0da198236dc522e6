"""Copies folded under their originals *before* paging, so a story is one result on every page size.

A copy (``articles.duplicate_of``) whose original is itself a result — it matches the query and the
filters — is not a result of its own: it is listed in the original's ``copies``, and the story takes
the place of whichever of them ranks first (a headline-only reprint may outrank its original).  A
copy whose original does not match (another source filtered out, other words) stays a result.
Whether a copy folds depends only on the query, never on the page, so every limit/offset walks the
same sequence and ``total`` counts stories.

Bounded, not "read every hit": a page reads the ranked ids up to its end (plus slack for the
copies it will fold), their ``duplicate_of``, and one index probe per original ("does it match?":
rowid + MATCH on FTS5, the primary key on PostgreSQL).  The folded total needs every match's
``duplicate_of``, so it is exact up to ``EXACT_TOTAL`` matches; beyond, ``total`` is the number of
matches (an upper bound, ``exact=False``) — such a result is paged no further than its first 10,000.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from types import ModuleType

from sqlalchemy import Connection, bindparam, text

from newsdesk.search.docs import chunks
from newsdesk.search.plan import Plan

EXACT_TOTAL = 1_000  # up to this many matches the folded total is counted exactly
MAX_WINDOW = 40_400  # ranked ids read at most for one page (4 × the deepest page, 10,000 + 100)
Ranked = list[tuple[str, float]]
Rank = Callable[[Plan], tuple[Ranked, int]]  # the engine's page of (article id, score), and all matches
COPY_SQL = "SELECT id, duplicate_of FROM articles WHERE id IN :ids AND duplicate_of IS NOT NULL"
COPIES_OF_SQL = ("SELECT id, source, duplicate_of FROM articles WHERE duplicate_of IN :ids "
                 "ORDER BY CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at, id")


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    ranked: Ranked  # (original or standalone article id, the best score of its story), best first
    copies: dict[str, list[tuple[str, str | None]]]  # article id → (id, source) of its folded copies
    matches: int = 0  # every matching article, copies too


def page(conn: Connection, plan: Plan, rank: Rank, engine: ModuleType) -> Page:
    """The page ``plan.offset`` … ``+ plan.limit`` of the folded result list."""
    need = plan.offset + plan.limit
    window = need + need // 2 + 10
    while True:
        raw, matches = rank(dataclasses.replace(plan, limit=window, offset=0))
        stories = group(raw, folding(conn, plan, [i for i, _ in raw], engine))
        if len(stories) >= need or len(raw) < window or window >= MAX_WINDOW:
            break
        window = min(window * 2, MAX_WINDOW)
    ranked = stories[plan.offset:need]
    return Page(ranked, copies_of(conn, plan, [i for i, _ in ranked], engine), matches)


def group(raw: Sequence[tuple[str, float]], originals: dict[str, str]) -> Ranked:
    """Ranked stories: each folded copy replaced by its original, each story once, where it first ranks."""
    seen: dict[str, float] = {}
    for article_id, score in raw:
        seen.setdefault(originals.get(article_id, article_id), score)
    return list(seen.items())


def folding(conn: Connection, plan: Plan, ids: Sequence[str], engine: ModuleType) -> dict[str, str]:
    """copy id → original id, for the copies among ``ids`` whose original matches ``plan`` too."""
    stmt = text(COPY_SQL).bindparams(bindparam("ids", expanding=True))
    originals = {r.id: r.duplicate_of for chunk in chunks(ids) for r in conn.execute(stmt, {"ids": chunk})}
    matching = engine.matching(conn, plan, sorted(set(originals.values())))
    return {copy: original for copy, original in originals.items() if original in matching}


def copies_of(conn: Connection, plan: Plan, ids: Sequence[str],
              engine: ModuleType) -> dict[str, list[tuple[str, str | None]]]:
    """The copies of these articles that match ``plan`` (however far down they rank), oldest first."""
    stmt = text(COPIES_OF_SQL).bindparams(bindparam("ids", expanding=True))
    rows = [r for chunk in chunks(ids) for r in conn.execute(stmt, {"ids": chunk})]
    matching = engine.matching(conn, plan, [r.id for r in rows])
    found: dict[str, list[tuple[str, str | None]]] = {}
    for r in rows:
        if r.id in matching:
            found.setdefault(r.duplicate_of, []).append((r.id, r.source))
    return found


def total(conn: Connection, plan: Plan, matches: int, engine: ModuleType) -> tuple[int, bool]:
    """(stories, exact): matches minus folded copies; just ``matches`` when there are too many to check."""
    if not matches:
        return 0, True
    if matches > EXACT_TOTAL:
        return matches, False
    return matches - engine.folded(conn, plan), True
