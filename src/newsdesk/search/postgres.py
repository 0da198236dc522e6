"""PostgreSQL backend: ``search_docs.tsv``, a ``tsvector`` of our terms with a GIN index.

The tsvector is written verbatim from the terms (no parser, no dictionary: what the ``simple``
configuration would give for them, with our own positions), so it holds exactly the tokens FTS5
holds.  Title, lead and body get weights A, B and C, and a one-position gap between them, so a
phrase never spans two fields (as in FTS5's separate columns).  Ranking is ``ts_rank_cd`` with the
weights in the same 6 : 2 : 1 proportion as the SQLite backend's BM25.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text

from newsdesk.search import docs
from newsdesk.search.plan import Plan, recency_sql
from newsdesk.search.terms import IndexedDoc

MAX_POSITION = 16383  # PostgreSQL clamps positions here
MAX_POSITIONS = 256  # and keeps at most this many per lexeme
WEIGHTS = "CAST('{0.1, 0.1667, 0.3333, 1.0}' AS real[])"  # D, C (body), B (lead), A (title)
RANK = "ts_rank_cd({weights}, h.tsv, {q}, 1)"
VALUES = {**docs.VALUES, "tsv": "CAST(:tsv AS tsvector)"}
JOIN = " JOIN articles a ON a.id = d.article_id"
_SAFE = re.compile(r"(?:[^\W_]|[ '&|!()<\->])*")  # what tsquery() can produce


def tsvector(doc: IndexedDoc) -> str:
    """``'term':1A,5A 'other':3B …`` for the document's title (A), lead (B) and body (C)."""
    positions: dict[str, dict[int, str]] = {}
    pos = 1
    for terms, weight in ((doc.title, "A"), (doc.lead, "B"), (doc.body, "C")):
        for term in terms.split():
            seen = positions.setdefault(term, {})
            if len(seen) < MAX_POSITIONS:
                seen.setdefault(min(pos, MAX_POSITION), weight)
            pos += 1
        pos += 1
    return " ".join(f"'{term}':" + ",".join(f"{p}{w}" for p, w in seen.items()) for term, seen in positions.items())


def write(conn: Connection, batch: Sequence[IndexedDoc], version: str) -> None:
    seq = docs.last_seq(conn) + 1
    docs.upsert(conn, [{**docs.row(d, version, seq), "tsv": tsvector(d)} for d in batch], VALUES)


def delete(conn: Connection, article_ids: Sequence[str]) -> int:
    return docs.delete_rows(conn, article_ids)


def _filtered(plan: Plan) -> tuple[str, str]:
    if not plan.where.sql:
        return "", ""
    return JOIN, f" AND {plan.where.sql}"


def tsquery_literal(plan: Plan) -> str:
    """The query as an SQL literal, not a bound parameter: with a parameter, a prepared statement's
    generic plan cannot see how rare the terms are and walks the whole table by docid instead of
    using the GIN index.  Safe: terms are runs of letters and digits (``terms.lemma_terms``)."""
    tsquery = plan.query.tsquery()
    if not _SAFE.fullmatch(tsquery):
        raise ValueError(f"refusing an unexpected tsquery {tsquery!r}")
    quoted = tsquery.replace("'", "''")
    return f"CAST('{quoted}' AS tsquery)"


def ranked(conn: Connection, plan: Plan) -> list[tuple[str, float]]:
    """(article id, score) of one page of hits, best first."""
    join, where = _filtered(plan)
    q = tsquery_literal(plan)
    rank = RANK.format(weights=WEIGHTS, q=q)
    score = f"{rank} * {recency_sql('h.day')}" if plan.recency else rank
    sql = (f"SELECT h.article_id, {score} AS score FROM ("
           f"SELECT d.docid, d.article_id, d.tsv, d.day FROM search_docs d{join} "
           f"WHERE d.tsv @@ {q}{where} ORDER BY d.docid DESC LIMIT :cap) h "
           "ORDER BY score DESC, h.docid DESC LIMIT :limit OFFSET :offset")
    stmt = text(sql).bindparams(*plan.where.binds)
    return [(r[0], float(r[1])) for r in conn.execute(stmt, plan.params(""))]


def count(conn: Connection, plan: Plan) -> int:
    join, where = _filtered(plan)
    stmt = text(f"SELECT count(*) FROM search_docs d{join} WHERE d.tsv @@ {tsquery_literal(plan)}{where}")
    return int(conn.execute(stmt.bindparams(*plan.where.binds), plan.params("")).scalar() or 0)


def matching(conn: Connection, plan: Plan, article_ids: Sequence[str]) -> set[str]:
    """Which of these articles match the query and filters (looked up by primary key, then tested)."""
    where = f" AND {plan.where.sql}" if plan.where.sql else ""
    sql = (f"SELECT d.article_id FROM search_docs d{JOIN} WHERE d.article_id IN :ids "
           f"AND d.tsv @@ {tsquery_literal(plan)}{where}")
    stmt = text(sql).bindparams(bindparam("ids", expanding=True), *plan.where.binds)
    params = plan.params("")
    return {r[0] for chunk in docs.chunks(article_ids) for r in conn.execute(stmt, {**params, "ids": chunk})}


def folded(conn: Connection, plan: Plan) -> int:
    """How many matches are copies whose original matches too: the matching copies, then one primary-key
    probe each for their original.  (A self-join of every match, ``IN (SELECT id FROM m)``, let the planner
    pick a nested loop over two CTE scans: 3.8 s for «в» in Russian at 10,000 articles.)"""
    q = tsquery_literal(plan)
    where = f" AND {plan.where.sql}" if plan.where.sql else ""
    original = ("SELECT 1 FROM articles a JOIN search_docs d ON d.article_id = a.id "
                f"WHERE a.id = m.duplicate_of AND d.tsv @@ {q}{where}")
    sql = (f"WITH m AS (SELECT a.duplicate_of FROM search_docs d{JOIN} WHERE d.tsv @@ {q}{where} "
           f"AND a.duplicate_of IS NOT NULL) SELECT count(*) FROM m WHERE EXISTS ({original})")
    return int(conn.execute(text(sql).bindparams(*plan.where.binds), plan.params("")).scalar() or 0)
