"""The duplicates stage: exact and near copies found on arrival, linked with ``duplicate_of``."""

from __future__ import annotations

from sqlalchemy import Connection, update

from newsdesk.dedup import DedupIndex
from newsdesk.records import HEADLINE, Article
from newsdesk.store.meta import get_meta, restore_state, set_meta
from newsdesk.store.writer import ARTICLES

KEY = "dedup_state"


class DedupStage:
    name = "dedup"

    def __init__(self) -> None:
        self.index: DedupIndex | None = None

    def load(self, conn: Connection) -> None:
        if self.index is None:
            self.index = restore_state(get_meta(conn, KEY), DedupIndex.from_state, DedupIndex, "duplicates index")

    def __call__(self, article: Article) -> None:
        if article.kind != HEADLINE and self.index is not None:
            article.duplicate_of = self.index.add(article)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        if self.index is None:
            return
        for article_id, original in self.index.pop_changes().items():  # an earlier original arrived late
            conn.execute(update(ARTICLES).where(ARTICLES.c.id == article_id).values(duplicate_of=original))
        set_meta(conn, KEY, self.index.to_state())

