"""Articles an editor deleted, remembered by id and URL: a feed or a file that brings one of them again
does not put it back (`ingest` skips and counts it), until ``newsdesk ingest --restore-deleted`` lets it in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, or_, select

from newsdesk.records import Article
from newsdesk.store.models import DeletedRow
from newsdesk.store.writer import CHUNK, insert_ignore

DELETED: Table = DeletedRow.__table__  # type: ignore[assignment]


def remember(conn: Connection, row: Any) -> None:
    """Keep the deleted article ``row`` (its id, url, source and title) as deleted."""
    insert_ignore(conn, DELETED, [{"article_id": row.id, "url": row.url, "source": row.source,
                                   "title": row.title or "", "deleted_at": datetime.now(UTC)}])


def deleted_ids(conn: Connection, articles: Sequence[Article]) -> set[str]:
    """The ids of ``articles`` an editor deleted: by their id or their URL."""
    found: set[str] = set()
    for start in range(0, len(articles), CHUNK):
        chunk = articles[start:start + CHUNK]
        ids, urls = [a.id for a in chunk], [a.url for a in chunk if a.url]
        rows = conn.execute(select(DELETED.c.article_id, DELETED.c.url)
                            .where(or_(DELETED.c.article_id.in_(ids), DELETED.c.url.in_(urls))))
        gone_ids, gone_urls = set(), set()
        for r in rows:
            gone_ids.add(r.article_id)
            gone_urls.add(r.url)
        found |= {a.id for a in chunk if a.id in gone_ids or (a.url and a.url in gone_urls)}  # type: ignore[misc]
    return found


def restore(conn: Connection, articles: Sequence[Article]) -> None:
    """Forget the deletion of ``articles`` (by id and URL): they may come in again."""
    for start in range(0, len(articles), CHUNK):
        chunk = articles[start:start + CHUNK]
        ids, urls = [a.id for a in chunk], [a.url for a in chunk if a.url]
        conn.execute(delete(DELETED).where(or_(DELETED.c.article_id.in_(ids), DELETED.c.url.in_(urls))))
