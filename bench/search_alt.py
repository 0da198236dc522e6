"""The engine bench/search.py compares ours with: PostgreSQL's own ``russian`` configuration, in a
temporary database of its own.  (Runs before commit 16be79e also timed a side tantivy index here; the
product's tantivy engine, ``newsdesk.search.fastindex``, replaced it.)"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

import psycopg

RANKED = (
    "SELECT id FROM ru_docs WHERE tsv @@ plainto_tsquery('russian', %(q)s) "
    "ORDER BY ts_rank(tsv, plainto_tsquery('russian', %(q)s)) DESC LIMIT 20"
)
UNRANKED = "SELECT id FROM ru_docs WHERE tsv @@ plainto_tsquery('russian', %(q)s) LIMIT 20"


class TempDatabase:
    """A PostgreSQL database of our own for the run, dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin = admin_url
        self.name = f"newsdesk_bench_search_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = admin_url.rsplit("/", 1)[0] + "/" + self.name

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def drop(self) -> None:
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class PgRussian:
    """``to_tsvector('russian', title || ' ' || body)`` with a GIN index, on the same texts."""

    def __init__(self, db: TempDatabase) -> None:
        self.conn = db.connect()

    def load(self, rows: Iterable[tuple[int, str, str]]) -> float:
        """Copy the texts in (not timed as index build); returns seconds."""
        started = time.perf_counter()
        self.conn.execute("DROP TABLE IF EXISTS ru_docs")
        self.conn.execute("CREATE TABLE ru_docs (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL)")
        with self.conn.cursor().copy("COPY ru_docs (id, title, body) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.conn.execute("VACUUM ANALYZE ru_docs")
        return time.perf_counter() - started

    def build(self) -> tuple[float, int]:
        """Compute the tsvectors and the GIN index; returns (seconds, bytes added)."""
        before = self._size()
        started = time.perf_counter()
        self.conn.execute("SET maintenance_work_mem = '512MB'")
        self.conn.execute(
            "ALTER TABLE ru_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('russian', title || ' ' || body)) STORED"
        )
        self.conn.execute("CREATE INDEX ru_docs_tsv ON ru_docs USING gin (tsv)")
        seconds = time.perf_counter() - started
        self.conn.execute("VACUUM ANALYZE ru_docs")
        return seconds, self._size() - before

    def _size(self) -> int:
        return int(self.conn.execute("SELECT pg_total_relation_size('ru_docs')").fetchone()[0])

    def ranked(self, q: str) -> list[int]:
        return [r[0] for r in self.conn.execute(RANKED, {"q": q})]

    def unranked(self, q: str) -> list[int]:
        return [r[0] for r in self.conn.execute(UNRANKED, {"q": q})]

    def close(self) -> None:
        self.conn.close()
