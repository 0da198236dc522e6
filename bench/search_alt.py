"""The engines bench/search.py compares ours with: PostgreSQL's own ``russian`` configuration, and an
embedded tantivy index over our terms (the measured alternative backend)."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import psycopg

from newsdesk.search.query import Query
from newsdesk.search.terms import IndexedDoc

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


class Tantivy:
    """tantivy 0.27 over the same terms as FTS5 (whitespace tokenizer), BM25 with the same field boosts."""

    BOOSTS = {"title": 6.0, "lead": 2.0, "body": 1.0}

    def __init__(self, path: Path) -> None:
        import tantivy

        self.t = tantivy
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("docid", stored=True, fast=True)
        for name in self.BOOSTS:
            builder.add_text_field(name, tokenizer_name="terms", index_option="position")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(path))
        self.index.register_tokenizer("terms", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())

    def build(self, docs: Iterable[tuple[int, IndexedDoc]]) -> float:
        started = time.perf_counter()
        writer = self.index.writer(heap_size=500_000_000, num_threads=1)
        for docid, doc in docs:
            title, lead, body = doc.fields()
            document = self.t.Document()
            document.add_unsigned("docid", docid)
            for name, value in (("title", title), ("lead", lead), ("body", body)):
                document.add_text(name, value)
            writer.add_document(document)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return time.perf_counter() - started

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def query(self, query: Query):  # noqa: ANN201 - tantivy.Query
        q, occur = self.t.Query, self.t.Occur
        must = []
        for clause in query.clauses:
            should = []
            for option in clause.options:
                for field, boost in self.BOOSTS.items():
                    one = (
                        q.term_query(self.schema, field, option[0])
                        if len(option) == 1
                        else q.phrase_query(self.schema, field, list(option))
                    )
                    should.append((occur.Should, q.boost_query(one, boost)))
            must.append((occur.Must, q.boolean_query(should)))
        return q.boolean_query(must)

    def search(self, query: Query, limit: int = 20) -> tuple[list[int], int]:
        result = self.searcher.search(self.query(query), limit, count=True)
        return [self.searcher.doc(addr)["docid"][0] for _, addr in result.hits], result.count
