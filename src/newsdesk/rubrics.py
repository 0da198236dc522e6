"""News or not, and rubric: the Telegram news contest's eight classes.

`predict` gives ``(rubric, confidence)`` for an article, `explain` the terms that weighed most for
the decision.  The model is a linear SVM over lemma TF-IDF (see `features`) with classes weighted
to balance, trained by `train`; its decision scores become a confidence through a softmax whose
temperature is fitted on out-of-fold scores.  A model is stored as one ``.npz`` of plain arrays
(vocabulary, IDF, weights; loaded with ``allow_pickle=False``) and a ``.json`` of metadata naming
the data that trained it.  The default model ships in ``newsdesk/models/``.

A model may carry a dense head: a logistic regression over the article's dense vector
(`newsdesk.dense`, the one story threads compare), whose probabilities are mixed into the SVM's
(``share`` of them) when the vector is at hand; without a vector the SVM decides alone.

Articles in a language the model was not trained on, and articles with no known word, get
``("other", 0.0)``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import features
from .features import TermSpace
from .records import Article

log = logging.getLogger(__name__)

RUBRICS = ("society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news")
FALLBACK = ("other", 0.0)
MODELS = Path(__file__).parent / "models"
DEFAULT_PATH = MODELS / "rubrics.npz"


@dataclass(frozen=True, slots=True)
class TrainOptions:
    """How `train` fits a rubric model."""

    c: float = 0.5  # inverse regularisation of the linear SVM
    min_df: int = 2
    max_terms: int = 50_000
    folds: int = 3  # for the out-of-fold scores that fit the confidence temperature
    source_weights: dict[str, float] = field(default_factory=dict)  # Article.source -> weight (1.0)
    langs: tuple[str, ...] = ("ru",)
    head_c: float = 10.0  # inverse regularisation of the dense head (chosen on the crawl CV of bench/tags.py)
    head_share: float = 0.2  # the dense head's share of the probabilities (crawl CV: bench/tags.py --only share)
    head_langs: tuple[str, ...] = ("ru", "en")  # where the head is used: in Kazakh CV it cost 0.885 → 0.838


@dataclass(slots=True)
class DenseHead:
    """Logistic regression of the rubric on an article's dense vector."""

    model: str  # the `dense.MODEL` whose vectors it reads
    coef: np.ndarray  # (labels, dim), rows in the rubric model's label order
    intercept: np.ndarray  # (labels,)
    share: float  # of the mixed probabilities
    langs: tuple[str, ...] = ("ru", "en")  # articles of other languages are left to the SVM

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        return _softmax(self.coef @ vector + self.intercept)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


@dataclass(slots=True)
class RubricModel:
    space: TermSpace
    labels: tuple[str, ...]
    coef: np.ndarray  # (labels, terms)
    intercept: np.ndarray  # (labels,)
    temperature: float = 1.0
    langs: tuple[str, ...] = ("ru",)
    meta: dict = field(default_factory=dict)
    head: DenseHead | None = None

    def supports(self, article: Article) -> bool:
        return (article.lang or "ru") in self.langs

    def probabilities(self, bag: Sequence[str], vector: np.ndarray | None = None) -> np.ndarray | None:
        """Softmax of the decision scores of one bag of terms, mixed with the dense head's probabilities
        when there is a head and a ``vector``; None when no term is known and there is no vector."""
        words, dense = self._votes(bag, vector)
        if words is None or dense is None:
            return dense if words is None else words
        return (1 - self.head.share) * words + self.head.share * dense  # type: ignore[union-attr]

    def _votes(self, bag: Sequence[str], vector: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The SVM's probabilities over ``bag`` (None when no term is known) and the head's over ``vector``."""
        idx, values = self.space.vector(bag)
        words = _softmax((self.coef[:, idx] @ values + self.intercept) * self.temperature) if len(idx) else None
        dense = self.head.probabilities(vector) if self.head is not None and vector is not None else None
        return words, dense

    def predict(self, article: Article, lemmas: Sequence[str] | None = None,
                vector: np.ndarray | None = None) -> tuple[str, float]:
        """``(rubric, confidence)``; ``vector`` is the article's `dense.embed` vector, when known."""
        probs = self._probabilities(article, lemmas, vector)
        if probs is None:
            return FALLBACK
        best = int(probs.argmax())
        return self.labels[best], float(probs[best])

    def explain(self, article: Article, lemmas: Sequence[str] | None = None, k: int = 10,
                vector: np.ndarray | None = None, rubric: str | None = None) -> list[tuple[str, float]]:
        """The ``k`` terms that pushed most towards ``rubric`` (by default the one `predict` gives with
        ``vector``), with their weights."""
        if not self.supports(article):
            return []
        rubric = rubric or self.predict(article, lemmas, vector)[0]
        if rubric not in self.labels:
            return []
        idx, values = self.space.vector(features.article_terms(article, lemmas))
        weights = self.coef[self.labels.index(rubric), idx] * values
        top = np.argsort(-weights)[:k]
        return [(features.display(self.space.vocabulary[idx[i]]), round(float(weights[i]), 4))
                for i in top if weights[i] > 0]

    def parts(self, article: Article, lemmas: Sequence[str] | None = None,
              vector: np.ndarray | None = None) -> dict[str, Any]:
        """How the two readers voted: ``{"words": {rubric: p}, "dense": {rubric: p} | None, "share": s}``,
        the SVM's probabilities over the words, the dense head's over the vector, and the head's share
        of the mixture `predict` takes the argmax of (0 when the head is not used).  Empty when the
        article's language is not supported."""
        if not self.supports(article):
            return {}
        words, dense = self._votes(features.article_terms(article, lemmas), self._head_vector(article, vector))
        share = (self.head.share if words is not None else 1.0) if dense is not None else 0.0  # type: ignore[union-attr]

        def named(probs: np.ndarray | None) -> dict[str, float] | None:
            return None if probs is None else {label: float(p) for label, p in zip(self.labels, probs, strict=True)}
        return {"words": named(words), "dense": named(dense), "share": share}

    def _probabilities(self, article: Article, lemmas: Sequence[str] | None,
                       vector: np.ndarray | None = None) -> np.ndarray | None:
        if not self.supports(article):
            return None
        return self.probabilities(features.article_terms(article, lemmas), self._head_vector(article, vector))

    def _head_vector(self, article: Article, vector: np.ndarray | None) -> np.ndarray | None:
        """``vector``, or None where the head is not used for the article's language."""
        return vector if self.head is not None and (article.lang or "ru") in self.head.langs else None

    def save(self, path: Path) -> None:
        """Write ``path`` (.npz arrays) and ``path`` with suffix .json (metadata)."""
        path = Path(path)
        arrays: dict[str, Any] = self.space.to_arrays("space_") | {"coef": self.coef.astype(np.float32),
                                                   "intercept": self.intercept.astype(np.float32)}
        about = {"labels": list(self.labels), "temperature": self.temperature, "langs": list(self.langs)}
        if self.head is not None:
            arrays |= {"head_coef": self.head.coef.astype(np.float32),
                       "head_intercept": self.head.intercept.astype(np.float32)}
            about["dense_head"] = {"model": self.head.model, "share": self.head.share, "langs": list(self.head.langs)}
        np.savez_compressed(path, **arrays)
        path.with_suffix(".json").write_text(json.dumps(about | {"meta": self.meta}, ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, path: Path) -> RubricModel:
        path = Path(path)
        about = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:
            space = TermSpace.from_arrays(arrays, "space_")
            coef, intercept = arrays["coef"], arrays["intercept"]
            dense = about.get("dense_head")
            head = (DenseHead(dense["model"], arrays["head_coef"], arrays["head_intercept"], dense["share"],
                              tuple(dense["langs"])) if dense else None)
        return cls(space, tuple(about["labels"]), coef, intercept, about["temperature"], tuple(about["langs"]),
                   about.get("meta", {}), head)


@lru_cache(maxsize=1)
def default_model() -> RubricModel:
    """The model shipped in the package (loaded once)."""
    return RubricModel.load(DEFAULT_PATH)


def predict(article: Article, lemmas: Sequence[str] | None = None,
            model: RubricModel | None = None, vector: np.ndarray | None = None) -> tuple[str, float]:
    """``(rubric, confidence)``; pass ``lemmas`` of ``article.text`` and its dense ``vector`` to reuse them."""
    return (model or default_model()).predict(article, lemmas, vector)


def explain(article: Article, lemmas: Sequence[str] | None = None, model: RubricModel | None = None,
            k: int = 10, vector: np.ndarray | None = None, rubric: str | None = None) -> list[tuple[str, float]]:
    """The top weighted words behind ``rubric`` (by default `predict`'s), e.g. ``[("матч", 0.31), ...]``."""
    return (model or default_model()).explain(article, lemmas, k, vector, rubric)


def train(articles: Sequence[Article], options: TrainOptions | None = None,
          meta: dict | None = None, vectors: Mapping[str, np.ndarray] | None = None) -> RubricModel:
    """Fit a model on articles whose ``rubric`` is set (weighted by ``options.source_weights``); with
    ``vectors`` (``{dense.fingerprint(article): vector}``), a dense head on the articles they cover."""
    from .rubric_training import fit

    options = options or TrainOptions()
    model = fit(articles, options, vectors)
    model.meta = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
                  "articles": len(articles), "options": _describe(options)} | (meta or {})
    return model


def _describe(options: TrainOptions) -> dict:
    return {"c": options.c, "min_df": options.min_df, "max_terms": options.max_terms, "head_c": options.head_c,
            "head_share": options.head_share, "head_langs": list(options.head_langs),
            "source_weights": options.source_weights, "langs": list(options.langs)}
