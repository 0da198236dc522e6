"""The server's file table: which archive article each PUT file is, and until when it stays.

The protocol's key is the file name and each PUT carries its own max-age, neither of which the archive
has a column for; this one table, kept in the same SQLite file as the archive, holds them::

    tgnews_files(name PRIMARY KEY, article_id, max_age, expires_at, analyzer, lemmas)

``expires_at`` is the article's publication time (UNIX seconds) plus its max-age: the article leaves the
index once the newest indexed article is later than that.  ``lemmas`` keeps, for news, the threading
lemmas (`similarity.TextLemmas`, zlib-compressed) made by analyzer version ``analyzer``, so a restart
does not lemmatise the whole index again; rows of another analyzer version are analysed anew.
The table is created on open (``CREATE TABLE IF NOT EXISTS``), outside the archive's migrations,
because only the tgnews server uses it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Float, Integer, LargeBinary, MetaData, String, Table, delete, select
from sqlalchemy.dialects.sqlite import insert

from newsdesk.analyze import ANALYZER_VERSION
from newsdesk.similarity import TextLemmas
from newsdesk.store.db import Archive

METADATA = MetaData()
FILES = Table(
    "tgnews_files",
    METADATA,
    Column("name", String(255), primary_key=True),
    Column("article_id", String(64), nullable=False, index=True),
    Column("max_age", Integer, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
    Column("analyzer", String(32)),
    Column("lemmas", LargeBinary),
)
_FIELD, _WORD = "\x1e", "\x1f"  # separators that no lemma contains


@dataclass(frozen=True, slots=True)
class FileRow:
    name: str
    article_id: str
    max_age: int
    expires_at: float
    lemmas: TextLemmas | None = None


def create(archive: Archive) -> None:
    METADATA.create_all(archive.engine, checkfirst=True)


_UPSERT = insert(FILES)
_UPSERT = _UPSERT.on_conflict_do_update(  # built once: SQLAlchemy then reuses its compiled form
        index_elements=["name"],
    set_={c: _UPSERT.excluded[c] for c in ("article_id", "max_age", "expires_at", "analyzer", "lemmas")})


def put(conn: Connection, row: FileRow) -> None:
    conn.execute(_UPSERT, {"name": row.name, "article_id": row.article_id, "max_age": row.max_age,
                           "expires_at": row.expires_at, "analyzer": ANALYZER_VERSION, "lemmas": encode(row.lemmas)})


def remove(conn: Connection, names: list[str]) -> None:
    if names:
        conn.execute(delete(FILES).where(FILES.c.name.in_(names)))


def every(conn: Connection) -> list[FileRow]:
    return [FileRow(r.name, r.article_id, r.max_age, r.expires_at, stored_lemmas(r.analyzer, r.lemmas))
            for r in conn.execute(select(FILES))]


def encode(lemmas: TextLemmas | None) -> bytes | None:
    if lemmas is None:
        return None
    parts = (_WORD.join(lemmas.title), _WORD.join(lemmas.body), _WORD.join(sorted(lemmas.names)))
    return zlib.compress(_FIELD.join(parts).encode("utf-8"), 1)


def stored_lemmas(analyzer: str | None, blob: bytes | None) -> TextLemmas | None:
    """The lemmas of a row, or None when it has none or they were made by another analyzer version."""
    if blob is None or analyzer != ANALYZER_VERSION:
        return None
    fields = zlib.decompress(blob).decode("utf-8").split(_FIELD)
    title, body, names = (tuple(part.split(_WORD)) if part else () for part in fields)
    return TextLemmas(title, body, frozenset(names))
