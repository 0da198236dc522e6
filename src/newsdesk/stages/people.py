"""The entities stage: people, organisations and places, with the archive's acronym index."""

from __future__ import annotations

from sqlalchemy import Connection

from newsdesk import entities
from newsdesk.acronyms import AcronymIndex
from newsdesk.records import Article
from newsdesk.store.meta import get_meta, set_meta

KEY = "acronyms"


class EntityStage:
    name = "entities"

    def __init__(self) -> None:
        self.acronyms: AcronymIndex | None = None
        self._saved = ""

    def load(self, conn: Connection) -> None:
        if self.acronyms is None:
            self._saved = get_meta(conn, KEY, "") or ""
            self.acronyms = AcronymIndex.from_json(self._saved) if self._saved else AcronymIndex()

    def __call__(self, article: Article) -> None:
        if article.lang in ("ru", "kk"):
            article.entities = entities.extract(article.text, article.lang, self.acronyms)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        state = self.acronyms.to_json() if self.acronyms else ""
        if state and state != self._saved:
            set_meta(conn, KEY, state)
            self._saved = state
