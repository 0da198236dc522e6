"""SQLite backend: a contentless FTS5 table (``search_fts``) whose rowid is ``search_docs.docid``.

Title, lead and body are three columns of space-separated terms; the ``ascii`` tokenizer splits only
on ASCII spaces and punctuation, so each of our terms is exactly one FTS5 token.  Ranking is FTS5's
BM25 with the title weighted 6 and the lead 2 against the body's 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, text

from newsdesk.search import docs
from newsdesk.search.plan import Plan, recency_sql
from newsdesk.search.terms import IndexedDoc

BM25 = "bm25(search_fts, 6.0, 2.0, 1.0)"
INSERT = "INSERT INTO search_fts (rowid, title, lead, body) VALUES (:docid, :title, :lead, :body)"
DELETE = ("INSERT INTO search_fts (search_fts, rowid, title, lead, body) "
          "VALUES ('delete', :docid, :title, :lead, :body)")
# CROSS JOIN fixes the order: the FTS5 matches first, then their articles by primary key.  Left to choose,
# SQLite reads a filter's articles first (``a.lang = 'ru'``: nearly all) and probes FTS5 once per row,
# 50–100× slower (bench/search_filtered.py).
JOIN = " CROSS JOIN search_docs d0 ON d0.docid = search_fts.rowid CROSS JOIN articles a ON a.id = d0.article_id"


def write(conn: Connection, batch: Sequence[IndexedDoc], version: str) -> None:
    """Index ``batch`` (replacing what was indexed for the same articles)."""
    _fts_delete(conn, docs.stored(conn, [d.article_id for d in batch]).values())
    seq = docs.last_seq(conn) + 1
    docs.upsert(conn, [docs.row(d, version, seq) for d in batch])
    ids = docs.docids(conn, [d.article_id for d in batch])
    conn.execute(text(INSERT), [_fts_row(ids[d.article_id], d) for d in batch])


def delete(conn: Connection, article_ids: Sequence[str]) -> int:
    old = docs.stored(conn, article_ids)
    _fts_delete(conn, old.values())
    return docs.delete_rows(conn, list(old))


def _fts_delete(conn: Connection, old: Iterable[docs.Stored]) -> None:
    rows = [_fts_row(s.docid, s.doc) for s in old]
    if rows:
        conn.execute(text(DELETE), rows)


def _fts_row(docid: int, doc: IndexedDoc) -> dict[str, object]:
    title, lead, body = doc.fields()
    return {"docid": docid, "title": title, "lead": lead, "body": body}


def _matches(plan: Plan, join: str = "") -> str:
    """``FROM … WHERE …`` of the matches: the FTS5 table, joined to the articles when filtered (or ``join``)."""
    where = f" AND {plan.where.sql}" if plan.where.sql else ""
    return f"FROM search_fts{JOIN if where else join} WHERE search_fts MATCH :q{where}"


def _candidates(plan: Plan, columns: str) -> str:
    return f"SELECT search_fts.rowid AS docid, {columns} {_matches(plan)} ORDER BY search_fts.rowid DESC LIMIT :cap"


def ranked(conn: Connection, plan: Plan) -> list[tuple[str, float]]:
    """(article id, score) of one page of hits, best first (newest first with ``plan.newest``)."""
    if plan.newest:
        sql = (f"SELECT d.article_id, h.score FROM ({_candidates(plan, f'-{BM25} AS score')}) h "
               "JOIN search_docs d ON d.docid = h.docid JOIN articles n ON n.id = d.article_id "
               "ORDER BY n.published_at IS NULL, n.published_at DESC, h.docid DESC LIMIT :limit OFFSET :offset")
    elif plan.recency:
        sql = (f"SELECT d.article_id, h.score * {recency_sql('d.day')} AS score "
               f"FROM ({_candidates(plan, f'-{BM25} AS score')}) h JOIN search_docs d ON d.docid = h.docid "
               "ORDER BY score DESC, h.docid DESC LIMIT :limit OFFSET :offset")
    else:
        sql = (f"SELECT d.article_id, h.score FROM (SELECT docid, score FROM "
               f"({_candidates(plan, f'-{BM25} AS score')}) ORDER BY score DESC, docid DESC "
               "LIMIT :limit OFFSET :offset) h JOIN search_docs d ON d.docid = h.docid "
               "ORDER BY h.score DESC, h.docid DESC")
    stmt = text(sql).bindparams(*plan.where.binds)
    return [(r[0], float(r[1])) for r in conn.execute(stmt, plan.params(plan.query.fts5()))]


def count(conn: Connection, plan: Plan) -> int:
    stmt = text(f"SELECT count(*) {_matches(plan)}")
    return int(conn.execute(stmt.bindparams(*plan.where.binds), plan.params(plan.query.fts5())).scalar() or 0)


def matching(conn: Connection, plan: Plan, article_ids: Sequence[str]) -> set[str]:
    """Which of these articles match the query and filters: one FTS5 probe (rowid + MATCH) each, so the
    cost follows the ids asked about, not the number of matches (CROSS JOIN keeps that join order)."""
    where = f" AND {plan.where.sql}" if plan.where.sql else ""
    sql = (f"SELECT d0.article_id FROM search_docs d0 CROSS JOIN search_fts ON search_fts.rowid = d0.docid "
           f"JOIN articles a ON a.id = d0.article_id WHERE d0.article_id IN :ids AND search_fts MATCH :q{where}")
    stmt = text(sql).bindparams(bindparam("ids", expanding=True), *plan.where.binds)
    params = plan.params(plan.query.fts5())
    return {r[0] for chunk in docs.chunks(article_ids) for r in conn.execute(stmt, {**params, "ids": chunk})}


def folded(conn: Connection, plan: Plan) -> int:
    """How many matches are copies whose original matches too: the matching copies, then one probe each
    for their original (its primary key, then rowid + MATCH), so the cost follows the copies."""
    where = f" AND {plan.where.sql}" if plan.where.sql else ""
    original = ("SELECT 1 FROM articles a CROSS JOIN search_docs d0 ON d0.article_id = a.id "
                f"CROSS JOIN search_fts ON search_fts.rowid = d0.docid WHERE a.id = m.duplicate_of "
                f"AND search_fts MATCH :q{where}")
    sql = (f"WITH m AS (SELECT a.duplicate_of {_matches(plan, JOIN)} AND a.duplicate_of IS NOT NULL) "
           f"SELECT count(*) FROM m WHERE EXISTS ({original})")
    return int(conn.execute(text(sql).bindparams(*plan.where.binds), plan.params(plan.query.fts5())).scalar() or 0)
