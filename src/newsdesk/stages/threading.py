"""The threads stage: each arriving article joins its story's thread or opens one; the ``threads``
table keeps every thread's title, span, size, sources and ranking score."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table, delete, select, update

from newsdesk import dense
from newsdesk.records import HEADLINE, RUBRICS, Article
from newsdesk.similarity import TextLemmas
from newsdesk.stages.vectors import VectorCache
from newsdesk.store.meta import get_meta, restore_state, set_meta
from newsdesk.store.models import ThreadRow
from newsdesk.store.queries import article_dicts, to_record
from newsdesk.store.vectors import save_vectors
from newsdesk.store.writer import ARTICLES, CHUNK
from newsdesk.threads import (
    Thread,
    Threader,
    independent_sources,
    main_language,
    rank_threads,
    stored_thread,
    story_language,
    thread_title,
)

log = logging.getLogger(__name__)
KEY = "thread_state"
THREADS: Table = ThreadRow.__table__  # type: ignore[assignment]


class ThreadStage:
    name = "threads"

    def __init__(self, vectors: VectorCache | None = None) -> None:
        self.threader: Threader | None = None
        self.vectors = vectors
        self._touched: set[str] = set()
        self._expired: dict[str, Thread] = {}  # touched threads that left the window before `save`
        self._vectors: dict[str, np.ndarray] = {}  # the batch's new dense vectors, stored by `save`
        self._copies: list[Article] = []  # copies of articles outside the window: they join in `save`

    def load(self, conn: Connection) -> None:
        if self.threader is None:
            self.threader = restore_state(get_meta(conn, KEY), Threader.from_state, Threader, "thread state")
            self.threader.on_expiry = self._expiring

    def _expiring(self, thread: Thread) -> None:
        """A batch spanning more than the window (a backfill) closes threads it touched: keep them for `save`."""
        if thread.id in self._touched:
            self._expired[thread.id] = thread

    def __call__(self, article: Article) -> None:
        if article.kind == HEADLINE or self.threader is None:
            return
        if self._original_away(article):
            self._copies.append(article)
        else:
            self._thread(article)

    def _thread(self, article: Article) -> None:
        if self.threader is None:
            return
        new = self.threader.thread_of(article.id or "") is None  # not a new revision of a threaded one
        vector = self._vector(article) if new else None
        article.thread_id = self.threader.add(article, dense=vector)
        self._touched.add(article.thread_id)
        if vector is not None:
            self._vectors[article.id or ""] = vector

    def _original_away(self, article: Article) -> bool:
        """A copy (not yet threaded) whose original is in no active thread: it joins the original's stored
        thread in `save`, where the archive can be read, rather than opening a story of its own."""
        threader = self.threader
        return (threader is not None and bool(article.duplicate_of) and threader.thread_of(article.id or "") is None
                and threader.thread_of(article.duplicate_of or "") is None)

    def _vector(self, article: Article) -> np.ndarray | None:
        if self.threader is None or not self.threader.options.dense:
            return None
        return self.vectors.of(article) if self.vectors is not None else dense.embed(article)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        if self.threader is None:
            return
        self._join_originals(conn)
        for absorbed, survivor in self.threader.pop_changes().items():
            conn.execute(update(ARTICLES).where(ARTICLES.c.thread_id == absorbed).values(thread_id=survivor))
            conn.execute(delete(THREADS).where(THREADS.c.id == absorbed))
            self._touched.discard(absorbed)
            self._touched.add(survivor)
        self._forget_deleted(conn)
        save_threads(conn, [t for t in (self.threader.thread(i) or self._expired.get(i) for i in self._touched) if t])
        self._touched.clear()
        self._expired.clear()
        save_vectors(conn, [(a, self._vectors[a.id]) for a in articles if a.id in self._vectors])
        self._vectors.clear()
        set_meta(conn, KEY, self.threader.to_state())

    def _join_originals(self, conn: Connection) -> None:
        """Each copy set aside by `__call__` joins its original's thread as the archive keeps it (reopened in
        the threader when still active); a copy whose original is gone or unthreaded is threaded itself."""
        copies, self._copies = self._copies, []
        originals = sorted({c.duplicate_of or "" for c in copies})
        threads: dict[str, str | None] = {}
        for start in range(0, len(originals), CHUNK):
            rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.thread_id)
                                .where(ARTICLES.c.id.in_(originals[start:start + CHUNK])))
            threads.update((r.id, r.thread_id) for r in rows)
        stored: set[str] = set()
        for copy in copies:
            thread_id = threads.get(copy.duplicate_of or "")
            if thread_id is None:
                self._thread(copy)
            elif self.threader is not None and self.threader.join(copy, thread_id):
                copy.thread_id = thread_id
                self._touched.add(thread_id)
            else:
                copy.thread_id = thread_id
                stored.add(thread_id)
            conn.execute(update(ARTICLES).where(ARTICLES.c.id == copy.id).values(thread_id=copy.thread_id))
        for thread_id in sorted(stored - self._touched):
            refresh_story(conn, thread_id)

    def _forget_deleted(self, conn: Connection) -> None:
        """Members of the touched threads that an editor deleted since they were threaded (here or in another
        process: the API's) leave the threader, so the thread's title and span do not count them."""
        if self.threader is None:
            return
        members = sorted({m for t in self._touched for m in self.threader.members_of(t)})
        stored: set[str] = set()
        for start in range(0, len(members), CHUNK):
            chunk = members[start:start + CHUNK]
            stored.update(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.id.in_(chunk))))
        for gone in set(members) - stored:
            self.threader.remove(gone)
            log.info("thread stage: forgot deleted article %s", gone)


def save_threads(conn: Connection, threads: list[Thread], now: datetime | None = None) -> None:
    """Upsert the rows of ``threads`` (title, span, size, independent sources, language, rubric, score);
    their articles' thread ids are stored already."""
    if not threads:
        return
    ranked = {r.thread.id: r for r in rank_threads(threads, now or datetime.now(UTC))}
    rubrics = _rubrics(conn, [t.id for t in threads])
    rows = [_row(t, ranked.get(t.id), rubrics.get(t.id)) for t in threads]
    conn.execute(delete(THREADS).where(THREADS.c.id.in_([t.id for t in threads])))
    conn.execute(THREADS.insert(), rows)


def save_stories(conn: Connection, ids: Iterable[str], lemmas: Mapping[str, TextLemmas] | None = None) -> None:
    """Store again the rows of these threads from all their stored articles (a rethread moved some of
    them), and drop the rows of those left with none."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        members: dict[str, list[Article]] = {}
        for article in _articles_of(conn, chunk):
            members.setdefault(article.thread_id or "", []).append(article)
        conn.execute(delete(THREADS).where(THREADS.c.id.in_(set(chunk) - members.keys())))
        save_threads(conn, [stored_thread(i, found, lemmas=lemmas) for i, found in members.items()])


def _articles_of(conn: Connection, thread_ids: list[str]) -> list[Article]:
    ids = list(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.thread_id.in_(thread_ids))))
    return [to_record(d) for start in range(0, len(ids), CHUNK) for d in article_dicts(conn, ids[start:start + CHUNK])]


def refresh_story(conn: Connection, thread_id: str | None) -> None:
    """Store a story's row again from its stored articles after an editor changed or deleted one: span,
    size, sources, language and rubric, and a new title when its headline is no longer one of theirs
    (`thread_title`).  The row goes when no article is left."""
    if not thread_id:
        return
    ids = list(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.thread_id == thread_id)))
    if not ids:
        conn.execute(delete(THREADS).where(THREADS.c.id == thread_id))
        return
    members = [to_record(d) for d in article_dicts(conn, ids)]
    title = conn.scalar(select(THREADS.c.title).where(THREADS.c.id == thread_id))
    times = [t for a in members if (t := a.published_at or a.fetched_at)]
    conn.execute(update(THREADS).where(THREADS.c.id == thread_id).values(
        title=title if title in {a.title for a in members} else thread_title(members),
        first_published=min(times, default=None), last_published=max(times, default=None), size=len(members),
        sources=independent_sources(members),
        lang=story_language(members) or None, rubric=_rubrics(conn, [thread_id]).get(thread_id)))


def refresh_rubrics(conn: Connection, ids: Iterable[str | None]) -> int:
    """Store again the rubric of each of these threads (their articles' rubrics changed: an editor, or
    a reclassification); returns how many stored rubrics changed.  Threads without a row are skipped."""
    wanted = sorted({i for i in ids if i})
    changed = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        now = _rubrics(conn, chunk)
        for thread_id, stored in conn.execute(select(THREADS.c.id, THREADS.c.rubric).where(THREADS.c.id.in_(chunk))):
            if now.get(thread_id) != stored:
                conn.execute(update(THREADS).where(THREADS.c.id == thread_id).values(rubric=now.get(thread_id)))
                changed += 1
    return changed


def _rubrics(conn: Connection, ids: list[str]) -> dict[str, str]:
    """Each thread's rubric: the one most of its articles have (on a tie, the first in `RUBRICS`)."""
    counts: dict[str, Counter[str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(select(ARTICLES.c.thread_id, ARTICLES.c.rubric)
                            .where(ARTICLES.c.thread_id.in_(ids[start:start + CHUNK]), ARTICLES.c.rubric.is_not(None)))
        for thread_id, rubric in rows:
            counts.setdefault(thread_id, Counter())[rubric] += 1
    return {tid: min(c, key=lambda r: (-c[r], RUBRICS.index(r) if r in RUBRICS else len(RUBRICS)))
            for tid, c in counts.items()}


def _row(thread: Thread, ranked: Any, rubric: str | None) -> dict[str, Any]:
    return {"id": thread.id, "title": thread.title, "first_published": thread.first_at,
            "last_published": thread.last_at, "size": len(thread.members),
            "sources": independent_sources(thread.members), "lang": main_language(thread.members) or None,
            "rubric": rubric, "score": ranked.score if ranked else 0.0}

