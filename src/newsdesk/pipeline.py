"""The stages every new or changed article passes, in the order data flows.

Each stage is a small object with a name and ``__call__(article)`` that fills some fields of the
record; stages that keep state across articles (threads, duplicates) also have ``load(conn)``
(read their state from the archive once) and ``save(conn, articles)`` (persist after a batch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Connection

from newsdesk.records import Article

NLP_VERSION = "4"  # 4: Kazakh people (no pairs of a name and a common word or a place; a lone surname counted)


class Stage(Protocol):
    name: str

    def __call__(self, article: Article) -> None: ...


def default_stages() -> list[Stage]:
    """The full pipeline, in order.  Cheap to build: models and state load on first use."""
    # Imported here: each stage pulls in its models' libraries, which `--no-nlp` runs never need.
    from newsdesk.search import SearchStage
    from newsdesk.stages.copies import DedupStage
    from newsdesk.stages.language import LangStage
    from newsdesk.stages.lemmas import LemmaCache
    from newsdesk.stages.people import EntityStage
    from newsdesk.stages.rubric import RubricStage
    from newsdesk.stages.tagging import TagStage
    from newsdesk.stages.threading import ThreadStage
    from newsdesk.stages.vectors import VectorCache

    lemmas, vectors = LemmaCache(), VectorCache()
    return [LangStage(), EntityStage(), RubricStage(lemmas, vectors), TagStage(lemmas), DedupStage(),
            ThreadStage(vectors), SearchStage(), _Forget(lemmas, vectors)]


class _Forget:
    """Drops the batch's cached lemmas and vectors once every stage has saved."""

    name = "forget"

    def __init__(self, *caches: object) -> None:
        self.caches = caches

    def __call__(self, article: Article) -> None:
        pass

    def save(self, conn: Connection, articles: list[Article]) -> None:
        for cache in self.caches:
            cache.clear()  # type: ignore[attr-defined]


class Pipeline:
    def __init__(self, stages: list[Stage] | None = None, version: str = NLP_VERSION) -> None:
        self.stages = default_stages() if stages is None else stages
        self.version = version

    def load(self, conn: Connection) -> None:
        for stage in self.stages:
            _call(stage, "load", conn)

    def enrich(self, article: Article) -> None:
        for stage in self.stages:
            stage(article)
        if self.stages:
            article.nlp_version = self.version

    def save(self, conn: Connection, articles: list[Article]) -> None:
        for stage in self.stages:
            _call(stage, "save", conn, articles)


def _call(stage: Stage, method: str, *args: object) -> None:
    fn: Callable[..., None] | None = getattr(stage, method, None)
    if fn is not None:
        fn(*args)
