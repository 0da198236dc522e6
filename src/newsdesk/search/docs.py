"""The ``search_docs`` table, shared by both backends: one row per indexed article."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, text

from newsdesk.search.terms import IndexedDoc, unpack

CHUNK = 500  # ids per IN (...)


@dataclass(frozen=True, slots=True)
class Stored:
    docid: int
    doc: IndexedDoc


def stored(conn: Connection, article_ids: Sequence[str]) -> dict[str, Stored]:
    """What the index holds now for these articles (their old terms, to delete them by value)."""
    sql = text("SELECT docid, article_id, terms, day FROM search_docs WHERE article_id IN :ids")
    sql = sql.bindparams(bindparam("ids", expanding=True))
    found: dict[str, Stored] = {}
    for chunk in chunks(article_ids):
        for r in conn.execute(sql, {"ids": chunk}):
            found[r.article_id] = Stored(r.docid, unpack(r.article_id, bytes(r.terms), r.day))
    return found


VALUES = {"article_id": ":article_id", "version": ":version", "terms": ":terms", "day": ":day", "seq": ":seq"}
SEQ_SQL = ("SELECT coalesce(max(seq), 0) FROM (SELECT max(seq) AS seq FROM search_docs "
           "UNION ALL SELECT max(seq) AS seq FROM search_removed) s")


def last_seq(conn: Connection) -> int:
    """The latest change number: every write of a batch (or removal) takes the next one."""
    return int(conn.execute(text(SEQ_SQL)).scalar() or 0)


def row(doc: IndexedDoc, version: str, seq: int) -> dict[str, Any]:
    return {"article_id": doc.article_id, "version": version, "terms": doc.pack(), "day": doc.day, "seq": seq}


def upsert(conn: Connection, rows: list[dict[str, Any]], values: dict[str, str] = VALUES) -> None:
    """Insert or update rows (a docid is kept when its article is reindexed)."""
    if not rows:
        return
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "article_id")
    conn.execute(text(f"INSERT INTO search_docs ({', '.join(values)}) VALUES ({', '.join(values.values())}) "
                      f"ON CONFLICT (article_id) DO UPDATE SET {updates}"), rows)


def docids(conn: Connection, article_ids: Sequence[str]) -> dict[str, int]:
    sql = text("SELECT article_id, docid FROM search_docs WHERE article_id IN :ids")
    sql = sql.bindparams(bindparam("ids", expanding=True))
    found: dict[str, int] = {}
    for chunk in chunks(article_ids):
        found.update((r.article_id, r.docid) for r in conn.execute(sql, {"ids": chunk}))
    return found


TOMBSTONE_SQL = ("INSERT INTO search_removed (docid, seq) SELECT docid, :seq FROM search_docs "
                 "WHERE article_id IN :ids ON CONFLICT (docid) DO UPDATE SET seq = excluded.seq")


def delete_rows(conn: Connection, article_ids: Sequence[str]) -> int:
    """Delete rows, leaving a tombstone (docid, seq) for indexes that follow the changes."""
    seq = last_seq(conn) + 1
    tombstone = text(TOMBSTONE_SQL).bindparams(bindparam("ids", expanding=True))
    sql = text("DELETE FROM search_docs WHERE article_id IN :ids").bindparams(bindparam("ids", expanding=True))
    removed = 0
    for chunk in chunks(article_ids):
        conn.execute(tombstone, {"ids": chunk, "seq": seq})
        removed += conn.execute(sql, {"ids": chunk}).rowcount or 0
    return removed


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])
