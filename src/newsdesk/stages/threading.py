"""The threads stage: each arriving article joins its story's thread or opens one; the ``threads``
table keeps every thread's title, span, size, sources and ranking score."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table, delete, update

from newsdesk import dense
from newsdesk.records import HEADLINE, Article
from newsdesk.stages.vectors import VectorCache
from newsdesk.store.meta import get_meta, restore_state, set_meta
from newsdesk.store.models import ThreadRow
from newsdesk.store.vectors import save_vectors
from newsdesk.store.writer import ARTICLES
from newsdesk.threads import Thread, Threader, main_language, rank_threads

log = logging.getLogger(__name__)
KEY = "thread_state"
THREADS: Table = ThreadRow.__table__  # type: ignore[assignment]


class ThreadStage:
    name = "threads"

    def __init__(self, vectors: VectorCache | None = None) -> None:
        self.threader: Threader | None = None
        self.vectors = vectors
        self._touched: set[str] = set()
        self._vectors: dict[str, np.ndarray] = {}  # the batch's new dense vectors, stored by `save`

    def load(self, conn: Connection) -> None:
        if self.threader is None:
            self.threader = restore_state(get_meta(conn, KEY), Threader.from_state, Threader, "thread state")

    def __call__(self, article: Article) -> None:
        if article.kind != HEADLINE and self.threader is not None:
            new = self.threader.thread_of(article.id or "") is None  # not a new revision of a threaded one
            vector = self._vector(article) if new else None
            article.thread_id = self.threader.add(article, dense=vector)
            self._touched.add(article.thread_id)
            if vector is not None:
                self._vectors[article.id or ""] = vector

    def _vector(self, article: Article) -> np.ndarray | None:
        if self.threader is None or not self.threader.options.dense:
            return None
        return self.vectors.of(article) if self.vectors is not None else dense.embed(article)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        if self.threader is None:
            return
        for absorbed, survivor in self.threader.pop_changes().items():
            conn.execute(update(ARTICLES).where(ARTICLES.c.thread_id == absorbed).values(thread_id=survivor))
            conn.execute(delete(THREADS).where(THREADS.c.id == absorbed))
            self._touched.discard(absorbed)
            self._touched.add(survivor)
        save_threads(conn, [t for t in (self.threader.thread(i) for i in self._touched) if t])
        self._touched.clear()
        save_vectors(conn, [(a, self._vectors[a.id]) for a in articles if a.id in self._vectors])
        self._vectors.clear()
        set_meta(conn, KEY, self.threader.to_state())


def save_threads(conn: Connection, threads: list[Thread], now: datetime | None = None) -> None:
    """Upsert the rows of ``threads`` (title, span, size, independent sources, score)."""
    if not threads:
        return
    ranked = {r.thread.id: r for r in rank_threads(threads, now or datetime.now(UTC))}
    rows = [_row(t, ranked.get(t.id)) for t in threads]
    conn.execute(delete(THREADS).where(THREADS.c.id.in_([t.id for t in threads])))
    conn.execute(THREADS.insert(), rows)


def _row(thread: Thread, ranked: Any) -> dict[str, Any]:
    sources = {m.source for m in thread.members if m.source and not m.duplicate_of}
    return {"id": thread.id, "title": thread.title, "first_published": thread.first_at,
            "last_published": thread.last_at, "size": len(thread.members), "sources": len(sources),
            "lang": main_language(thread.members) or None, "rubric": None, "score": ranked.score if ranked else 0.0}

