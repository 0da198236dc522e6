"""The entities stage: people, organisations and places, with the archive's acronym index."""

from __future__ import annotations

from sqlalchemy import Connection

from newsdesk import entities
from newsdesk.acronyms import AcronymIndex
from newsdesk.records import Article
from newsdesk.store.meta import get_meta, set_meta
from newsdesk.surnames import PeopleIndex

KEY = "acronyms"
PEOPLE_KEY = "people"


class EntityStage:
    name = "entities"

    def __init__(self) -> None:
        self.acronyms: AcronymIndex | None = None
        self.people: PeopleIndex | None = None
        self._saved = ""
        self._saved_people = ""

    def load(self, conn: Connection) -> None:
        if self.acronyms is None:
            self._saved = get_meta(conn, KEY, "") or ""
            self.acronyms = AcronymIndex.from_json(self._saved) if self._saved else AcronymIndex()
        if self.people is None:
            self._saved_people = get_meta(conn, PEOPLE_KEY, "") or ""
            self.people = PeopleIndex.from_json(self._saved_people) if self._saved_people else PeopleIndex()

    def __call__(self, article: Article) -> None:
        if article.lang in ("ru", "kk"):
            found = entities.extract(article.text, article.lang, self.acronyms, self.people)
            article.entities = entities.not_the_outlet(found, article.source, article.url)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        state = self.acronyms.to_json() if self.acronyms else ""
        if state and state != self._saved:
            set_meta(conn, KEY, state)
            self._saved = state
        people = self.people.to_json() if self.people else ""
        if people and people != self._saved_people:
            set_meta(conn, PEOPLE_KEY, people)
            self._saved_people = people
