"""The rubric stage: the shipped classifier decides unless the editor gave a rubric of our set."""

from __future__ import annotations

from sqlalchemy import Connection

from newsdesk import rubrics
from newsdesk.records import RUBRICS, Article
from newsdesk.stages.lemmas import LemmaCache
from newsdesk.stages.vectors import VectorCache
from newsdesk.store.modelstore import load_model

MODEL = "rubrics"


class RubricStage:
    """Uses the archive's own rubric model when `newsdesk train` stored one, else the shipped one."""

    name = "rubric"

    def __init__(self, lemmas: LemmaCache, vectors: VectorCache | None = None) -> None:
        self.lemmas = lemmas
        self.vectors = vectors
        self.model: rubrics.RubricModel | None = None
        self._loaded = False

    def load(self, conn: Connection) -> None:
        if not self._loaded:
            self.model = load_model(conn, MODEL, rubrics.RubricModel.load)
            self._loaded = True

    def __call__(self, article: Article) -> None:
        if article.rubric in RUBRICS and article.rubric_confidence is None:
            return  # the editor's rubric
        model = self.model or rubrics.default_model()
        vector = self.vectors.of(article) if self.vectors is not None and model.head is not None else None
        article.rubric, confidence = rubrics.predict(article, self.lemmas.of(article), model, vector)
        article.rubric_confidence = round(float(confidence), 4)
