"""The duplicates stage: exact and near copies found on arrival, linked with ``duplicate_of``.

Articles go through `DedupIndex` (MinHash over their words).  Headlines — titles without a text, from
page dumps and headline feeds — have too few words for it; a headline is a copy of the article (or
the first headline) with the same title (`title_key`: case, «ё» and punctuation aside), whichever
arrives first: an article arriving after its headlines takes them as its copies.  So a tag page shows
«Балқаш көлінің деңгейі төмендеп барады» once, not once as the article and once as the headline."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, update

from newsdesk.dedup import DedupIndex, content_hash, words
from newsdesk.records import HEADLINE, Article
from newsdesk.store.meta import get_meta, restore_state, set_meta
from newsdesk.store.writer import ARTICLES

KEY = "dedup_state"
TITLES_KEY = "dedup_titles"
MIN_TITLE_WORDS = 4  # «Погода на завтра» may be two different items
MAX_TITLES = 20_000  # titles remembered (articles' and lone headlines'), the oldest forgotten first


def title_key(title: str) -> str | None:
    """A hash of the title as copies share it, or None when it is too short to tell two items apart."""
    tokens = words(title)
    return content_hash(tokens)[:16] if len(tokens) >= MIN_TITLE_WORDS else None


class TitleIndex:
    """Title → the article that carries it, and titles seen only on headlines so far."""

    def __init__(self) -> None:
        self.articles: OrderedDict[str, tuple[str, str]] = OrderedDict()  # title -> (original id, published)
        self.headlines: OrderedDict[str, list[str]] = OrderedDict()  # title -> headline ids, first = original
        self.changes: dict[str, str] = {}  # stored headline id -> the article it turned out to copy

    def add_headline(self, article_id: str, title: str) -> str | None:
        key = title_key(title)
        if key is None:
            return None
        if key in self.articles:
            return self.articles[key][0]
        ids = self.headlines.setdefault(key, [])
        if article_id not in ids:
            ids.append(article_id)
        self._trim()
        return ids[0] if ids[0] != article_id else None

    def add_article(self, original: str, title: str, published: str = "") -> None:
        """An article (or its original) carries ``title``; of several, the newest is what a headline
        copies: outlets reuse titles of series and live updates («Паводки в Казахстане: что известно к
        этому часу» every day), and a headline list shows the latest edition."""
        key = title_key(title)
        if key is None:
            return
        known = self.articles.get(key)
        if known is None or published >= known[1]:
            self.articles[key] = (original, published)
            self.articles.move_to_end(key)
        self.changes.update((h, self.articles[key][0]) for h in self.headlines.pop(key, []))
        self._trim()

    def _trim(self) -> None:
        for table in (self.articles, self.headlines):
            while len(table) > MAX_TITLES:
                table.popitem(last=False)

    def to_state(self) -> dict[str, Any]:
        return {"articles": [[k, *v] for k, v in self.articles.items()], "headlines": list(self.headlines.items())}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TitleIndex:
        index = cls()
        index.articles.update((k, (i, p)) for k, i, p in state.get("articles", []))
        index.headlines.update((k, list(v)) for k, v in state.get("headlines", []))
        return index


class DedupStage:
    name = "dedup"

    def __init__(self) -> None:
        self.index: DedupIndex | None = None
        self.titles: TitleIndex | None = None

    def load(self, conn: Connection) -> None:
        if self.index is None:
            self.index = restore_state(get_meta(conn, KEY), DedupIndex.from_state, DedupIndex, "duplicates index")
        if self.titles is None:
            state = get_meta(conn, TITLES_KEY)
            self.titles = TitleIndex.from_state(state) if isinstance(state, dict) else TitleIndex()

    def __call__(self, article: Article) -> None:
        if article.kind == HEADLINE:
            if self.titles is not None and article.id:
                article.duplicate_of = self.titles.add_headline(article.id, article.title)
            return
        if self.index is not None:
            article.duplicate_of = self.index.add(article)
        if self.titles is not None and article.id:
            published = article.published_at.astimezone(UTC).isoformat() if article.published_at else ""
            self.titles.add_article(article.duplicate_of or article.id, article.title, published)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        if self.index is not None:
            for article_id, original in self.index.pop_changes().items():  # an earlier original arrived late
                conn.execute(update(ARTICLES).where(ARTICLES.c.id == article_id).values(duplicate_of=original))
            set_meta(conn, KEY, self.index.to_state())
        if self.titles is not None:
            for headline_id, original in self.titles.changes.items():  # headlines that came before the article
                conn.execute(update(ARTICLES).where(ARTICLES.c.id == headline_id).values(duplicate_of=original))
            self.titles.changes.clear()
            set_meta(conn, TITLES_KEY, self.titles.to_state())
