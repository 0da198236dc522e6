"""The server's index: the archive (through `ingest`) plus an in-memory view for answering quickly.

A PUT page is parsed, run through the protocol's pipeline stages, stored with `ingest.ingest` (one
transaction; the archive is SQLite in WAL mode, so a committed page survives ``kill -9``) and its file
row written; the in-memory `Entry` keeps what ``/threads`` needs (language, rubric, time, title, source
and the lemmas of news articles).  On start the view is rebuilt from the archive.

The lemmas are stored with the file row, so a restart reads them back instead of lemmatising again.
The clock is the newest indexed publication time.  After each PUT every article whose publication time
plus its max-age is behind the clock leaves the index at once, and the archive in the background (the
data directory is the index); DELETE removes from both before answering.
``/threads`` threads the period's news of one language with `stories.stories`, IDF from all of that
language's indexed news; the answer is cached until the index changes.
"""

from __future__ import annotations

import heapq
import logging
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsdesk.errors import InputError, NotFound
from newsdesk.ingest import ingest
from newsdesk.records import Article
from newsdesk.similarity import DocumentFrequencies, TextLemmas, analyse
from newsdesk.sources.fields import stable_id
from newsdesk.store import Archive, open_archive
from newsdesk.store.editing import delete_article
from newsdesk.store.writer import ARTICLES
from newsdesk.tgnews import analysis, files
from newsdesk.tgnews.page import parse
from newsdesk.tgnews.stories import stories

log = logging.getLogger(__name__)

ARCHIVE_FILE = "archive.db"
MAX_ID = 64  # the archive's id column


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    article_id: str
    lang: str
    rubric: str | None
    published: datetime
    expires_at: float
    title: str
    source: str | None
    lemmas: TextLemmas | None  # for news in the contest's languages only

    @property
    def news(self) -> bool:
        return self.lemmas is not None


def article_id(name: str) -> str:
    """The archive id of a file: its name, or a hash of it when the name is too long for the column."""
    return name if len(name) <= MAX_ID else stable_id("tgnews", name)


class Index:
    """Thread-safe: writes are serialised by one lock; ``threads`` computes outside it on a snapshot."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.pipeline = analysis.pipeline()
        self.clock: datetime | None = None
        self.version = 0
        self._entries: dict[str, Entry] = {}
        self._expiry: list[tuple[float, str]] = []
        self._idf: dict[str, DocumentFrequencies] = {}
        self._cache: dict[tuple[int, str, int], list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._reaper = _Reaper(self._reap)

    @classmethod
    def open(cls, data_dir: Path) -> Index:
        data_dir.mkdir(parents=True, exist_ok=True)
        archive = open_archive(str(data_dir / ARCHIVE_FILE))
        files.create(archive)
        index = cls(archive)
        index.load()
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    # reading the archive back

    def load(self) -> None:
        table = files.FILES
        query = (select(ARTICLES, table.c.name, table.c.expires_at, table.c.analyzer, table.c.lemmas)
                 .join(table, table.c.article_id == ARTICLES.c.id).order_by(table.c.name))
        with self.archive.engine.begin() as conn:
            self.pipeline.load(conn)  # e.g. a rubric model trained into this archive
            for row in conn.execute(query):
                known = files.stored_lemmas(row.analyzer, row.lemmas)
                self._add(_entry(_stored_article(row), row.name, row.expires_at, known))
        self._expire()
        log.info("index loaded: %d files, clock %s", len(self._entries), self.clock)

    # writes

    def put(self, name: str, page: str, max_age: int) -> bool:
        """Index (or replace) one page; True when the name is new.  Then expire what the clock passed."""
        article = parse(page, name)
        article.id = article_id(name)
        article.fetched_at = self.clock or datetime.now(UTC)  # the time of a page that has none
        self.pipeline.enrich(article)  # before the lock; ingest keeps what the stages found
        entry = _entry(article, name, _published(article).timestamp() + max_age)
        with self._lock:
            summary = ingest(self.archive, [article], self.pipeline)
            if summary.rejected:
                raise InputError(summary.errors[0], name)
            with self.archive.engine.begin() as conn:
                files.put(conn, files.FileRow(name, entry.article_id, max_age, entry.expires_at, entry.lemmas))
            new = self._replace(entry)
            self._expire()
        return new

    def delete(self, name: str) -> bool:
        """Remove one page (from the archive too, before answering); False when it is not indexed."""
        with self._lock:
            entry = self._entries.get(name)
            if entry is None:
                return False
            self._forget(entry)
            self._delete_stored(entry)
        return True

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until every expired article has been deleted from the archive; False on timeout."""
        return self._reaper.settle(timeout)

    def _replace(self, entry: Entry) -> bool:
        old = self._entries.get(entry.name)
        if old is not None:
            self._forget(old)
        self._add(entry)
        return old is None

    def _add(self, entry: Entry) -> None:
        self._entries[entry.name] = entry
        heapq.heappush(self._expiry, (entry.expires_at, entry.name))
        if self.clock is None or entry.published > self.clock:
            self.clock = entry.published
        if entry.lemmas is not None:
            self._idf.setdefault(entry.lang, DocumentFrequencies()).add(_terms(entry.lemmas))
        self.version += 1

    def _forget(self, entry: Entry) -> None:
        del self._entries[entry.name]
        if entry.lemmas is not None:
            _subtract(self._idf[entry.lang], _terms(entry.lemmas))
        if entry.published == self.clock:
            self.clock = max((e.published for e in self._entries.values()), default=None)
        self.version += 1

    def _expire(self) -> None:
        horizon = self.clock.timestamp() if self.clock else 0.0
        gone: dict[str, Entry] = {}  # a name can be in the heap twice (replaced with the same expiry)
        while self._expiry and self._expiry[0][0] < horizon:
            expires_at, name = heapq.heappop(self._expiry)
            entry = self._entries.get(name)
            if entry is not None and entry.expires_at == expires_at:
                gone[name] = entry
        if gone:
            log.info("%d articles expired (clock %s)", len(gone), self.clock)
            for entry in gone.values():
                self._forget(entry)  # out of the index at once; out of the archive in the background
            self._reaper.add(list(gone.values()))

    def _reap(self, entry: Entry) -> None:
        """Delete an expired article from the archive, unless its name was PUT again since."""
        with self._lock:
            if entry.name not in self._entries:
                self._delete_stored(entry)

    def _delete_stored(self, entry: Entry) -> None:
        try:
            delete_article(self.archive, entry.article_id, remember=False)  # the protocol may PUT it again
        except NotFound:
            log.warning("%s: its article %s was already gone from the archive", entry.name, entry.article_id)
        with self.archive.engine.begin() as conn:
            files.remove(conn, [entry.name])

    # reads

    def threads(self, period: int, lang: str, category: str) -> list[dict[str, Any]]:
        """Ranked threads of ``lang`` news published in the ``period`` seconds up to the clock."""
        with self._lock:
            key = (self.version, lang, period)
            found = self._cache.get(key)
            if found is None:
                chosen, clock = self._period(period, lang), self.clock
                idf = self._idf.get(lang)
        if found is None:
            found = _threads(chosen, clock, idf)
            with self._lock:
                if key[0] == self.version:
                    self._cache = {k: v for k, v in self._cache.items() if k[0] == self.version}
                    self._cache[key] = found
        if category == "any":
            return found
        return [{"title": t["title"], "articles": t["articles"]} for t in found if t["category"] == category]

    def _period(self, period: int, lang: str) -> list[Entry]:
        if self.clock is None:
            return []
        start = self.clock - timedelta(seconds=period)
        return [e for e in self._entries.values() if e.news and e.lang == lang and e.published >= start]


class _Reaper:
    """A background thread deleting expired articles from the archive one by one, so that the PUT which
    expires thousands of them answers at once.  Until deleted, an expired article still has its file row:
    a restart finds it expired again and queues it anew."""

    def __init__(self, reap: Callable[[Entry], None]) -> None:
        self._reap = reap
        self._queue: deque[Entry] = deque()
        self._busy = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, entries: list[Entry]) -> None:
        with self._changed:
            self._queue.extend(entries)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="tgnews-expiry", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def settle(self, timeout: float | None = None) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._busy = False
                self._changed.notify_all()
                self._changed.wait_for(lambda: bool(self._queue))
                entry, self._busy = self._queue.popleft(), True
            try:
                self._reap(entry)
            except Exception:  # noqa: BLE001 - a failed deletion is retried at the next start
                log.exception("could not delete expired %s from the archive", entry.name)


def _threads(chosen: list[Entry], clock: datetime | None, idf: DocumentFrequencies | None) -> list[dict[str, Any]]:
    articles = [Article(id=e.article_id, title=e.title, source=e.source, published_at=e.published, rubric=e.rubric,
                        lang=e.lang) for e in chosen]
    lemmas = {e.article_id: e.lemmas for e in chosen if e.lemmas is not None}
    names = {e.article_id: e.name for e in chosen}
    found = stories(articles, lemmas, idf, clock)
    return [{"title": s.title, "category": s.category, "articles": [names[i] for i in s.article_ids]}
            for s in found]


def _entry(article: Article, name: str, expires_at: float, known: TextLemmas | None = None) -> Entry:
    """What the index keeps of an article; ``known`` lemmas (stored with its file row) spare analysing it."""
    lemmas = _interned(known or analyse(article)) if analysis.is_news(article) else None
    return Entry(name, article.id or article_id(name), analysis.lang_code(article), article.rubric,
                 _published(article), expires_at, article.title, article.source, lemmas)


def _published(article: Article) -> datetime:
    when = article.published_at or article.fetched_at
    if when is None:  # pragma: no cover - put() and the archive always set one
        raise InputError("no publication time", article.origin, "published_at")
    return when


def _stored_article(row: Any) -> Article:
    return Article(id=row.id, title=row.title, lead=row.lead, paragraphs=row.body.split("\n\n") if row.body else [],
                   source=row.source, published_at=row.published_at, fetched_at=row.fetched_at, lang=row.lang,
                   rubric=row.rubric)


def _interned(lemmas: TextLemmas) -> TextLemmas:
    """The same lemmas sharing one string per distinct word (English lemmas are fresh strings)."""
    return TextLemmas(tuple(map(sys.intern, lemmas.title)), tuple(map(sys.intern, lemmas.body)),
                      frozenset(map(sys.intern, lemmas.names)))


def _terms(lemmas: TextLemmas) -> tuple[str, ...]:
    return lemmas.title + lemmas.body


def _subtract(frequencies: DocumentFrequencies, terms: tuple[str, ...]) -> None:
    """Undo `DocumentFrequencies.add` for an article that left the index."""
    frequencies.docs = max(0, frequencies.docs - 1)
    counts: Counter[str] = frequencies.counts
    for term in set(terms):
        left = counts.get(term, 0) - 1
        if left > 0:
            counts[term] = left
        else:
            counts.pop(term, None)
