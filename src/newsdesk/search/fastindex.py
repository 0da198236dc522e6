"""An embedded tantivy index over the same terms: the fast engine for large archives.

The database stays the source of truth (``search_docs`` and the FTS5 / tsvector index are always
written); this index is derived from it and can be deleted and rebuilt at any time.  It follows
the database through ``search_docs.seq`` and the tombstones of ``search_removed``: before answering,
``sync`` applies what changed since the last ``seq`` it saw (the writer lock makes one process do
it; a reader that cannot catch up falls back to the database engine, so hits are never stale).

Why: FTS5 and PostgreSQL score every matching document, so at a million articles a frequent word
costs 30–250 ms; tantivy's block-max pruning scores only what can reach the top (bench/search.py).
Hits are the same as the database engine's — same terms, same boolean logic (OR, exclusions) — and the order is BM25
with the same title/lead/body boosts.  Queries filtered by tag or rubric (labels the engine may
recompute without reindexing) use the database engine.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import Connection, text

from newsdesk.config import Settings
from newsdesk.search.docs import last_seq
from newsdesk.search.filters import Filters
from newsdesk.search.plan import HALF_LIFE_DAYS, UNDATED_AGE, Plan
from newsdesk.search.query import Clause, Query
from newsdesk.search.terms import unpack
from newsdesk.store.types import UTCDateTime

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
BOOSTS = {"title": 6.0, "lead": 2.0, "body": 1.0}
MAX_LAG = 20_000  # documents a search may apply before answering; beyond, the database answers
RECENCY_POOL = 200  # with recency, the best BM25 matches re-ranked by age
STATE = "newsdesk-search.json"
CHANGED_SQL = ("SELECT d.docid, d.article_id, d.terms, d.day, d.seq, a.lang, a.source, a.published_at "
               "FROM search_docs d JOIN articles a ON a.id = d.article_id WHERE d.seq > :seq ORDER BY d.seq")
REMOVED_SQL = "SELECT docid FROM search_removed WHERE seq > :seq"
BACKLOG_SQL = "SELECT count(*) FROM search_docs WHERE seq > :seq"


class FastIndex:
    """The tantivy index in ``path``; safe to share between threads of one process."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._seq = -1

    # --- opening -----------------------------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        if self._index is None:
            state = self._state()
            if state.get("schema") != SCHEMA_VERSION:
                self._reset()
            self.path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(_schema(), path=str(self.path), reuse=True)
            self._index.register_tokenizer("terms", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
            self._seq = int(self._state().get("seq", 0))
        return self._index

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / STATE).read_text())
        except (OSError, ValueError):
            return {}

    def _reset(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / STATE).write_text(json.dumps({"schema": SCHEMA_VERSION, "seq": 0}))

    # --- following the database --------------------------------------------------------------------

    def rebuild(self, conn: Connection) -> int:
        """Start over from the database; returns the documents indexed."""
        with self._lock:
            self._index, self._searcher = None, None
            self._reset()
        return self.sync(conn, lag=None)

    def sync(self, conn: Connection, lag: int | None = MAX_LAG) -> int:
        """Apply the database's changes since the last sync; -1 when more than ``lag`` are waiting or
        another process holds the writer (the caller then asks the database instead)."""
        with self._lock:
            self._open()
            top = last_seq(conn)
            if top <= self._seq:
                return 0
            self._seq = max(self._seq, int(self._state().get("seq", 0)))  # another process may have synced
            if top <= self._seq:
                self._reload()
                return 0
            if lag is not None and (conn.execute(text(BACKLOG_SQL), {"seq": self._seq}).scalar() or 0) > lag:
                return -1
            return self._apply(conn, top)

    def _apply(self, conn: Connection, top: int) -> int:
        index = self._open()
        try:
            writer = index.writer(heap_size=200_000_000, num_threads=1)
        except ValueError as exc:  # the lock file: another process is writing
            log.info("search index busy (%s); the database answers", exc)
            return -1
        for r in conn.execute(text(REMOVED_SQL), {"seq": self._seq}):
            writer.delete_documents_by_term("docid", r.docid)
        count = 0
        stmt = text(CHANGED_SQL).columns(published_at=UTCDateTime()).execution_options(yield_per=2000)
        for r in conn.execute(stmt, {"seq": self._seq}):
            writer.delete_documents_by_term("docid", r.docid)
            writer.add_document(_document(r))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self._seq = top
        (self.path / STATE).write_text(json.dumps({"schema": SCHEMA_VERSION, "seq": top}))
        self._reload()
        log.info("search index: applied %d documents up to change %d", count, top)
        return count

    def _reload(self) -> None:
        index = self._open()
        index.reload()
        self._searcher = index.searcher()

    # --- searching -----------------------------------------------------------------------------------

    @staticmethod
    def supports(filters: Filters) -> bool:
        return not (filters.tag or filters.rubric)

    def ranked(self, plan: Plan, filters: Filters) -> tuple[list[tuple[str, float]], int]:
        """(article id, score) of one page and the number of matches."""
        searcher = self._searcher or self._open().searcher()
        query = _query(plan.query, filters)
        if not plan.recency:
            found = searcher.search(query, plan.limit, count=True, offset=plan.offset)
            return [(_stored(searcher, a, "article_id"), s) for s, a in found.hits], _count(found)
        pool = searcher.search(query, max(RECENCY_POOL, plan.offset + plan.limit), count=True)
        scored = sorted(((s * _recency(_stored(searcher, a, "day"), plan.today), _stored(searcher, a, "article_id"))
                         for s, a in pool.hits), reverse=True)
        page = scored[plan.offset:plan.offset + plan.limit]
        return [(article_id, score) for score, article_id in page], _count(pool)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("docid", stored=True, indexed=True, fast=True)
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", stored=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    for name in ("lang", "source"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in BOOSTS:
        builder.add_text_field(name, tokenizer_name="terms", index_option="position")
    return builder.build()


def _document(row: Any) -> tantivy.Document:
    doc = unpack(row.article_id, bytes(row.terms), row.day)
    out = tantivy.Document()
    out.add_integer("docid", row.docid)
    out.add_text("article_id", row.article_id)
    out.add_integer("day", row.day if row.day is not None else -(10**6))
    if row.published_at is not None:
        out.add_integer("published", int(row.published_at.timestamp()))
    for name, value in (("lang", row.lang), ("source", row.source)):
        if value:
            out.add_text(name, value)
    for name, value in zip(BOOSTS, doc.fields(), strict=True):
        out.add_text(name, value)
    return out


def _query(query: Query, filters: Filters) -> tantivy.Query:
    schema, q, occur = _SCHEMA, tantivy.Query, tantivy.Occur
    must = [(occur.Must, _any_field(clause)) for clause in query.clauses]
    must += [(occur.MustNot, _any_field(clause)) for clause in query.excluded]
    for name in ("lang", "source"):
        if value := getattr(filters, name):
            must.append((occur.Must, q.term_query(schema, name, value)))
    if filters.since or filters.until:
        must.append((occur.Must, _published(filters.since, filters.until)))
    return q.boolean_query(must)


def _any_field(clause: Clause) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, _option(option, field, boost))
                                        for option in clause.options for field, boost in BOOSTS.items()])


def _option(option: tuple[str, ...], field: str, boost: float) -> tantivy.Query:
    q = tantivy.Query
    one = q.term_query(_SCHEMA, field, option[0]) if len(option) == 1 else q.phrase_query(_SCHEMA, field, list(option))
    return q.boost_query(one, boost)


def _published(since: datetime | None, until: datetime | None) -> tantivy.Query:
    lower = int(since.astimezone(UTC).timestamp()) if since else None
    upper = int(until.astimezone(UTC).timestamp()) if until else None
    return tantivy.Query.range_query(_SCHEMA, "published", tantivy.FieldType.Integer, lower, upper,
                                     include_upper=upper is None)


def _count(result: tantivy.SearchResult) -> int:
    return int(result.count or 0)  # type: ignore[attr-defined]  # missing from tantivy's type stubs


def _stored(searcher: tantivy.Searcher, address: Any, field: str) -> Any:
    return searcher.doc(address)[field][0]


def _recency(day: int, today: int) -> float:
    age = UNDATED_AGE if day <= -(10**6) else max(today - day, 0)
    return 1.0 / (1.0 + age / HALF_LIFE_DAYS)


def index_path(settings: Settings) -> Path:
    """Where the tantivy index lives: the setting, else beside a SQLite archive, else ./newsdesk-search."""
    if settings.search_index:
        return Path(settings.search_index).expanduser()
    url = settings.url()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url.removeprefix("sqlite:///") + ".search")
    return Path("newsdesk-search")


_OPEN: dict[Path, FastIndex] = {}


def for_settings(settings: Settings) -> FastIndex | None:
    """The process's index for these settings, or None when the database engine is chosen."""
    if settings.search_engine != "tantivy":
        return None
    path = index_path(settings).resolve()
    return _OPEN.setdefault(path, FastIndex(path))


_SCHEMA = _schema()
