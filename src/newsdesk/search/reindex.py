"""Bring the index up to date: articles never indexed, or indexed by an older analyzer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, text

from newsdesk import lang as language
from newsdesk.search.docs import chunks
from newsdesk.search.engine import remove, write
from newsdesk.search.terms import IndexedDoc, analyze_fields, version
from newsdesk.store.db import Archive
from newsdesk.store.types import UTCDateTime

log = logging.getLogger(__name__)
BATCH = 500
Progress = Callable[[int, int], None]  # (done, total)

STALE_SQL = ("SELECT a.id FROM articles a LEFT JOIN search_docs d ON d.article_id = a.id "
             "WHERE d.docid IS NULL OR d.version <> :version ORDER BY a.published_at, a.id")
ALL_SQL = "SELECT id FROM articles ORDER BY published_at, id"
ORPHANS_SQL = ("SELECT d.article_id FROM search_docs d LEFT JOIN articles a ON a.id = d.article_id "
               "WHERE a.id IS NULL")
ROWS_SQL = "SELECT id, title, lead, body, lang, published_at FROM articles WHERE id IN :ids"


def reindex(archive: Archive, progress: Progress | None = None, everything: bool = False,
            batch: int = BATCH) -> int:
    """Analyse and index what is missing or stale (``everything``: all articles); returns the count."""
    with archive.engine.begin() as conn:
        orphans = remove(conn, list(conn.scalars(text(ORPHANS_SQL))))
        ids = stale(conn, everything)
    if orphans:
        log.info("reindex: dropped %d articles no longer in the archive", orphans)
    done = 0
    for chunk in chunks(ids, batch):
        with archive.engine.begin() as conn:
            done += write(conn, [_analyze(r) for r in _rows(conn, chunk)])
        if progress:
            progress(done, len(ids))
    log.info("reindex: %d articles (analyzer %s)", done, version())
    return done


def stale(conn: Connection, everything: bool = False) -> list[str]:
    """Ids of articles to (re)index, oldest first."""
    if everything:
        return list(conn.scalars(text(ALL_SQL)))
    return list(conn.scalars(text(STALE_SQL), {"version": version()}))


def _rows(conn: Connection, ids: list[str]) -> list[Any]:
    """Articles to analyse; ``published_at`` typed so SQLite's text dates come back as datetimes."""
    stmt = text(ROWS_SQL).bindparams(bindparam("ids", expanding=True)).columns(published_at=UTCDateTime())
    return list(conn.execute(stmt, {"ids": ids}))


def _analyze(row: Any) -> IndexedDoc:
    lang = row.lang or language.detect(f"{row.title}\n{row.lead}\n{row.body}"[:2000])
    return analyze_fields(row.id, row.title, row.lead, row.body, lang, row.published_at)

