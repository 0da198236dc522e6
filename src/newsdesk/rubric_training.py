"""Fitting rubric models (scikit-learn is imported here only, never on the prediction path).

`train_default` rebuilds the shipped model from the labelled sets in ``../shared/data``: the
contest's own labels weigh most, weak and silver labels (outlets' sections, an LLM's categories)
less.  Which files trained the model, how many articles each gave and when are recorded in the
model's metadata.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from . import dense, features, rubric_corpus
from .errors import InputError
from .features import TermSpace
from .records import Article
from .rubrics import RUBRICS, DenseHead, RubricModel, TrainOptions, train

log = logging.getLogger(__name__)

DEFAULT_SOURCE_WEIGHTS = {
    "newsdesk_tgc2019_ru": 3.0,
    "newsdesk_tgc2019_en": 3.0,
    "newsdesk_kazinform_kk": 3.0,
    "newsdesk_rtng_ru": 1.0,
    "newsdesk_ria_ru": 1.0,
    "newsdesk_tengri_ru": 1.0,
    "newsdesk_telegram_ru": 1.0,
    "sib200_topics": 0.5,
    "tgcontest_markup_v0": 3.0,
    "tgcontest_gold_training": 3.0,
    "tgcontest_news_detect": 2.0,
    "telegram_posts": 0.05,
    "rt_ng_sections": 0.05,
    "ria_rubrics": 0.05,
}
DEFAULT_LANGS = ("ru", "kk", "en")
# The sets the dense head learns from: our labels (contest crawl, Kazinform, RT/NG, RIA, Tengrinews,
# Telegram) and the contest's own markup — hand labels only.
HEAD_SOURCES = ("newsdesk_tgc2019_ru", "newsdesk_tgc2019_en", "newsdesk_kazinform_kk", "tgcontest_markup_v0",
                "tgcontest_gold_training", "newsdesk_rtng_ru", "newsdesk_ria_ru", "newsdesk_tengri_ru",
                "newsdesk_telegram_ru")
_TEMPERATURES = np.geomspace(0.1, 30, 80)


def fit(articles: Sequence[Article], options: TrainOptions,
        vectors: Mapping[str, np.ndarray] | None = None) -> RubricModel:
    """A `RubricModel` over ``articles`` (each with ``rubric`` in `RUBRICS`, or ``news``).

    Articles labelled only ``news`` (news, rubric unknown: the contest's news titles) get the
    rubric a first model gives them, never ``not_news``, and join the training set: without them
    every short, title-only text looks like not-news, since all not-news examples are titles.
    """
    labelled = [a for a in articles if a.rubric in RUBRICS]
    if len({a.rubric for a in labelled}) < 2:
        raise InputError("rubric training needs articles of at least two rubrics", field="rubric")
    bags = [features.article_terms(a) for a in labelled]
    news = [a for a in articles if a.rubric == NEWS]
    if news:
        first = _fit_bags(bags, [a.rubric for a in labelled], _weights(labelled, options), options, calibrate=False)
        news_bags = [features.article_terms(a) for a in news]
        bags += news_bags
        labelled = labelled + [_relabelled(a, first, bag) for a, bag in zip(news, news_bags, strict=True)]
    model = _fit_bags(bags, [a.rubric for a in labelled], _weights(labelled, options), options)
    log.info("rubric model: %d articles (%d news without rubric), %d terms, temperature %.2f",
             len(labelled), len(news), len(model.space), model.temperature)
    if vectors:
        model.head = _dense_head([a for a in articles if a.rubric in RUBRICS], model.labels, vectors, options)
    return model


def _dense_head(articles: Sequence[Article], labels: tuple[str, ...], vectors: Mapping[str, np.ndarray],
                options: TrainOptions) -> DenseHead | None:
    """Logistic regression of the rubric on the dense vectors of the ``articles`` that have one."""
    from sklearn.linear_model import LogisticRegression

    rows = [(a, vectors[key]) for a in articles if (key := dense.fingerprint(a)) in vectors]
    if len(labels) < 3 or {a.rubric for a, _ in rows} != set(labels):
        return None  # a head that never saw a rubric would pull that rubric down
    x, y = np.array([v for _, v in rows]), [a.rubric for a, _ in rows]
    weights = _weights([a for a, _ in rows], options)
    fit = LogisticRegression(C=options.head_c, max_iter=3000).fit(x, y, sample_weight=weights)
    order = [[str(c) for c in fit.classes_].index(label) for label in labels]
    log.info("dense rubric head: %d articles, share %.2f", len(rows), options.head_share)
    return DenseHead(dense.MODEL, fit.coef_[order].astype(np.float32), fit.intercept_[order].astype(np.float32),
                     options.head_share, options.head_langs)


NEWS = "news"


def _weights(articles: Sequence[Article], options: TrainOptions) -> np.ndarray:
    return np.array([options.source_weights.get(a.source or "", 1.0) for a in articles])


def _fit_bags(bags: list[list[str]], rubrics: list[str | None], weights: np.ndarray, options: TrainOptions,
              calibrate: bool = True) -> RubricModel:
    space = TermSpace.fit(bags, min_df=options.min_df, max_terms=options.max_terms)
    x, y = space.matrix(bags), np.array(rubrics)
    coef, intercept, labels = _svm(x, y, weights, options.c)
    temperature = _temperature(x, y, weights, options) if calibrate else 1.0
    return RubricModel(space, labels, coef, intercept, temperature, options.langs)


def _relabelled(article: Article, model: RubricModel, bag: list[str]) -> Article:
    """A copy of a news article with the first model's best rubric other than not_news."""
    probs = model.probabilities(bag)
    ranked = [model.labels[i] for i in np.argsort(-probs)] if probs is not None else ["other"]
    rubric = next(label for label in [*ranked, "other"] if label != "not_news")
    return dataclasses.replace(article, rubric=rubric)


def _svm(x, y, weights, c: float) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    from sklearn.svm import LinearSVC

    clf = LinearSVC(C=c, class_weight="balanced").fit(x, y, sample_weight=weights)
    coef, intercept = clf.coef_, clf.intercept_
    if len(clf.classes_) == 2:  # one score s for the second class: softmax over (-s/2, s/2)
        coef, intercept = np.vstack([-coef, coef]) / 2, np.array([-intercept[0], intercept[0]]) / 2
    return coef.astype(np.float32), intercept.astype(np.float32), tuple(str(c) for c in clf.classes_)


def _temperature(x, y, weights, options: TrainOptions) -> float:
    """The softmax temperature that minimises the weighted log loss of out-of-fold scores."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(options.folds, min(Counter(y).values()))
    if folds < 2:
        return 1.0
    scores = np.zeros((len(y), len(set(y))), dtype=np.float64)
    labels: tuple[str, ...] = ()
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        coef, intercept, labels = _svm(x[train_idx], y[train_idx], weights[train_idx], options.c)
        scores[test_idx] = x[test_idx] @ coef.T + intercept
    truth = np.array([labels.index(label) for label in y])
    losses = [_log_loss(scores * t, truth, weights) for t in _TEMPERATURES]
    return float(_TEMPERATURES[int(np.argmin(losses))])


def _log_loss(scores: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> float:
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-(log_probs[np.arange(len(truth)), truth] * weights).sum() / weights.sum())


def train_default(data: Path, names: Sequence[str] = tuple(rubric_corpus.READERS),
                  options: TrainOptions | None = None, vectors: Mapping[str, np.ndarray] | None = None) -> RubricModel:
    """The default model from the labelled sets in ``data`` (the ``../shared/data`` folder).

    With dense vectors available, a dense head learns from the hand-labelled sets (`HEAD_SOURCES`; ~6,100
    texts, ~25 minutes of one encoder thread); ``vectors`` may bring their vectors.
    """
    options = options or TrainOptions(source_weights=DEFAULT_SOURCE_WEIGHTS, langs=DEFAULT_LANGS)
    found = rubric_corpus.corpora(Path(data), names)
    articles = [a for corpus in found.values() for a in corpus]
    corpora = [{"name": name, "files": rubric_corpus.FILES[name], "articles": len(found[name])} for name in names]
    rubrics = Counter(a.rubric for a in articles)
    if vectors is None:
        vectors = head_vectors(articles)
    return train(articles, options, meta={"corpora": corpora, "rubrics": dict(rubrics),
                                          "dense_head_sources": list(HEAD_SOURCES) if vectors else []},
                 vectors=vectors)


OUTLET = "outlet"  # the source name an archive's own labelled articles train under
OUTLET_WEIGHT = 3.0  # as much as our labels of the contest's own pages
MIN_OUTLET_ARTICLES = 20


def train_outlet(articles: Sequence[Article], data: Path | None = None,
                 vectors: Mapping[str, np.ndarray] | None = None) -> RubricModel:
    """A rubric model of the outlet's own labels: the ``articles`` whose rubric its editors gave (one of
    `RUBRICS`), weighted like our own labels, plus the labelled sets in ``data`` (../shared/data) when
    given, so rubrics the outlet rarely uses are still known.  ``vectors`` (``{dense.fingerprint: vector}``)
    bring the outlet's dense vectors (the archive keeps them); the head embeds what is missing."""
    found = rubric_corpus.corpora(Path(data), tuple(rubric_corpus.READERS)) if data else {}
    return fit_outlet(articles, found, vectors)


def fit_outlet(articles: Sequence[Article], found: Mapping[str, Sequence[Article]],
               vectors: Mapping[str, np.ndarray] | None = None) -> RubricModel:
    """`train_outlet` over labelled sets already read (``{corpus name: articles}``)."""
    own = [dataclasses.replace(a, source=OUTLET) for a in articles if a.rubric in RUBRICS]
    if len(own) < MIN_OUTLET_ARTICLES or len({a.rubric for a in own}) < 2:
        raise InputError(f"{len(own)} articles with an editor's rubric of {len({a.rubric for a in own})} "
                         f"rubric(s): learning the outlet's rubrics needs {MIN_OUTLET_ARTICLES} or more, of at "
                         f"least two rubrics ({', '.join(RUBRICS)})", field="rubric")
    shared = [a for corpus in found.values() for a in corpus]
    langs = DEFAULT_LANGS if shared else tuple(sorted({a.lang or "ru" for a in own}))
    options = TrainOptions(source_weights=DEFAULT_SOURCE_WEIGHTS | {OUTLET: OUTLET_WEIGHT}, langs=langs)
    known = dict(vectors or {})
    if dense.available():
        missing = [a for a in own + shared if dense.fingerprint(a) not in known]
        known |= head_vectors(missing, sources=(OUTLET, *HEAD_SOURCES))
    meta = {"outlet": {"articles": len(own), "rubrics": dict(Counter(a.rubric for a in own))},
            "corpora": [{"name": name, "files": rubric_corpus.FILES[name], "articles": len(found[name])}
                        for name in found],
            "dense_head_sources": [OUTLET, *HEAD_SOURCES] if known and shared else [OUTLET] if known else []}
    return train(own + shared, options, meta=meta, vectors=known)


def head_vectors(articles: Sequence[Article], sources: Sequence[str] = HEAD_SOURCES) -> dict[str, np.ndarray]:
    """``{dense.fingerprint: vector}`` of the articles from ``sources``; empty when dense vectors are off."""
    if not dense.available():
        return {}
    chosen = [a for a in articles if a.source in sources]
    return {dense.fingerprint(a): v for a, v in zip(chosen, dense.embed_many(chosen), strict=True) if v is not None}
