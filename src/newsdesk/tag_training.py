"""Fitting tag models (scikit-learn is imported here only, never on the suggestion path).

One logistic regression per tag (one-vs-rest, liblinear) over the lemma and entity TF-IDF of
`features`; each tag keeps only its `TagOptions.keep_weights` largest weights, so a model of
thousands of tags stays a few MB.  Confidences are calibrated with Platt scaling fitted on
out-of-fold scores (a model trained on the other folds scores each article), and the audit's
rule and threshold are fitted on the same scores by giving each article one random other tag,
as the benchmark does on held-out articles.  Archives of `TagOptions.rank_min_articles` or more
tagged articles also get the ranker of the tags their texts name (`tag_ranking`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from scipy import sparse
from scipy.special import expit

from . import features
from .errors import InputError
from .features import TermSpace
from .records import Article

log = logging.getLogger(__name__)


def fit(articles: Sequence[Article], options):  # -> tags.TagModel (imported late: no cycle)
    return fit_with_oof(articles, options)[0]


def fit_with_oof(articles: Sequence[Article], options):
    """(model, the tagged articles it learned from, their out-of-fold confidences or None)."""
    from .tags import NameMatcher, TagModel

    tagged = [a for a in articles if a.editor_tags]
    counts = Counter(t for a in tagged for t in set(a.editor_tags))
    frequent = sorted((t for t, n in counts.items() if n >= options.min_examples), key=lambda t: (-counts[t], t))
    tags = frequent[: options.max_tags]
    if not tags:
        raise InputError(f"no tag has {options.min_examples} or more tagged articles to learn from",
                         field="editor_tags")
    lemmas = [features.article_lemmas(a, undated=True) for a in tagged]
    bags = [features.terms(title, body, a.entities) for a, (title, body) in zip(tagged, lemmas, strict=True)]
    space = TermSpace.fit(bags, min_df=options.min_df, max_terms=options.max_terms)
    x, y = space.matrix(bags), _targets(tagged, tags)
    weights, bias = _ovr(x, y, options)
    names = NameMatcher(tags)
    bonus = options.name_weight * np.array([names.match(bag) for bag in bags], dtype=np.float32)
    oof = _out_of_fold(x, y, options)
    oof = oof + bonus if oof is not None else None
    platt = platt_fit(oof, y) if oof is not None else np.tile([1.0, 0.0], (len(tags), 1))
    model = TagModel(space, tags, weights, bias, platt, np.array([counts[t] for t in tags]), len(tagged),
                     options.apply_threshold, learning_rate=options.learning_rate, name_weight=options.name_weight,
                     meta={"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "articles": len(tagged),
                           "tags": len(tags), "min_examples": options.min_examples})
    probs = model.calibrate(oof) if oof is not None else None
    if probs is not None:
        model.audit_weights, model.audit_threshold = audit_rule(probs, y, options)
    if probs is not None and len(tagged) >= options.rank_min_articles:
        from .tag_ranking import Material, fit_ranker

        model.lexicon, model.ranker = fit_ranker(model, Material(tagged, lemmas, x, y, bonus, probs), options)
    log.info("tag model: %d articles, %d tags, %d terms, audit threshold %.3f",
             len(tagged), len(tags), len(space), model.audit_threshold)
    return model, tagged, probs


def _targets(articles: Sequence[Article], tags: list[str]) -> sparse.csc_matrix:
    column = {tag: j for j, tag in enumerate(tags)}
    pairs = [(i, column[t]) for i, a in enumerate(articles) for t in set(a.editor_tags) if t in column]
    rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
    data = np.ones(len(rows), dtype=np.int8)
    return sparse.csc_matrix((data, (rows, cols)), shape=(len(articles), len(tags)))


def _ovr(x: sparse.csr_matrix, y: sparse.csc_matrix, options) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Per-tag logistic regressions, each pruned to its largest weights: (terms × tags, bias)."""
    from sklearn.linear_model import LogisticRegression

    rows, cols, vals, bias = [], [], [], np.zeros(y.shape[1], dtype=np.float32)
    for j in range(y.shape[1]):
        target = y[:, j].toarray().ravel()
        if target.min() == target.max():  # a tag on every article (or none) of this fold
            bias[j] = 10.0 if target[0] else -10.0
            continue
        clf = LogisticRegression(C=options.c, solver="liblinear").fit(x, target)
        keep = np.argsort(-np.abs(clf.coef_[0]))[: options.keep_weights]
        rows.append(keep)
        cols.append(np.full(len(keep), j))
        vals.append(clf.coef_[0][keep])
        bias[j] = clf.intercept_[0]
    shape = (x.shape[1], y.shape[1])
    if not rows:
        return sparse.csr_matrix(shape, dtype=np.float32), bias
    data = (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols)))
    return sparse.csr_matrix(data, shape=shape, dtype=np.float32), bias


def _out_of_fold(x: sparse.csr_matrix, y: sparse.csc_matrix, options) -> np.ndarray | None:
    """Decision scores of each article by a model that did not see it (None: too few articles)."""
    n = x.shape[0]
    if n < 2 * options.folds:
        return None
    order = np.random.default_rng(0).permutation(n)
    scores = np.zeros(y.shape, dtype=np.float32)
    for fold in np.array_split(order, options.folds):
        train = np.setdiff1d(order, fold)
        weights, bias = _ovr(x[train], y[train], options)
        scores[fold] = (x[fold] @ weights).toarray() + bias
    return scores


def platt_fit(scores: np.ndarray, y: sparse.spmatrix, iterations: int = 25, prior: float = 2.0) -> np.ndarray:
    """Per-tag Platt parameters (a, b), p = sigmoid(a·s + b), by Newton's method on all tags at once.

    Targets are Platt's smoothed labels (N₊+1)/(N₊+2) and 1/(N₋+2), and a penalty
    ``prior·((a−1)² + b²)`` pulls each tag towards the logistic regression's own probabilities:
    both keep tags with a handful of examples (and small archives) from becoming over-confident.
    """
    truth = y.toarray().astype(bool)
    positives, negatives = truth.sum(axis=0), (~truth).sum(axis=0)
    target = np.where(truth, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    a, b = np.ones(scores.shape[1]), np.zeros(scores.shape[1])
    for _ in range(iterations):
        p = expit(scores * a + b)
        err, w = p - target, np.maximum(p * (1 - p), 1e-9)
        g_a, g_b = (err * scores).sum(0) + 2 * prior * (a - 1), err.sum(0) + 2 * prior * b
        h_aa, h_ab, h_bb = (w * scores**2).sum(0) + 2 * prior, (w * scores).sum(0), w.sum(0) + 2 * prior
        det = h_aa * h_bb - h_ab**2
        a, b = a - (h_bb * g_a - h_ab * g_b) / det, b - (h_aa * g_b - h_ab * g_a) / det
    return np.stack([np.clip(a, 0.05, None), b], axis=1).astype(np.float32)


def audit_rule(probs: np.ndarray, y: sparse.spmatrix, options, seed: int = 0) -> tuple[np.ndarray | None, float]:
    """The audit's rule and threshold, fitted on out-of-fold confidences: (weights | None, threshold).

    Simulates the benchmark: each tagged article keeps its own tags (they fit) and gets one random
    tag of the vocabulary that it does not carry (it does not); an article with one tag is also
    seen with each of the two alone, as a sole tag can be the wrong one. A logistic regression over
    `tags.audit_features` learns fit from misfit, and the threshold on its fit score has the best
    F-beta (``options.audit_beta``) of flagging the wrong tags.

    Below ``options.audit_rule_articles`` tagged articles the out-of-fold confidences are too rough
    to compare a tag with its neighbours (on the 105-article sample the rule ranked the seven wrong
    tags among twice as many right ones): the fit score is then the confidence itself (weights None).
    """
    from sklearn.linear_model import LogisticRegression

    from .tags import audit_features

    truth = y.toarray().astype(bool)
    rng = np.random.default_rng(seed)
    rows: list[np.ndarray] = []
    fits: list[bool] = []
    confidences: list[float] = []
    articles = 0
    for i in np.flatnonzero(truth.any(axis=1)):
        others = np.flatnonzero(~truth[i])
        if not len(others):
            continue
        own, wrong, articles = list(np.flatnonzero(truth[i])), rng.choice(others), articles + 1
        cases = [own + [wrong]] + ([own, [wrong]] if len(own) == 1 else [])  # and alone, as a sole tag is
        for given in cases:
            rows.append(audit_features(probs[i], given))
            fits.extend(j != wrong for j in given)
            confidences.extend(probs[i, given])
    fit: np.ndarray = np.array(fits, dtype=np.bool_)
    if articles < options.audit_rule_articles or fit.all():
        scores, weights = np.array(confidences), None
    else:
        x = np.vstack(rows)
        rule = LogisticRegression(C=1.0).fit(x, fit)
        weights = np.append(rule.coef_[0], rule.intercept_[0])
        scores = rule.predict_proba(x)[:, 1]
    return weights, best_threshold(scores[fit], scores[~fit], options.audit_beta)


def best_threshold(good: np.ndarray, bad: np.ndarray, beta: float) -> float:
    """The threshold t (flag when score < t) with the best F-beta of flagging the bad scores.

    β < 1 weighs precision above recall (β = 0.5 counts precision twice as much).
    """
    scores = np.concatenate([good, bad])
    is_bad = np.concatenate([np.zeros(len(good), bool), np.ones(len(bad), bool)])
    order = np.argsort(scores, kind="stable")
    scores, flagged_bad = scores[order], np.cumsum(is_bad[order])
    if not len(bad):
        return 0.0
    precision, recall = flagged_bad / np.arange(1, len(scores) + 1), flagged_bad / len(bad)
    f = (1 + beta**2) * precision * recall / np.maximum(beta**2 * precision + recall, 1e-12)
    k = int(np.argmax(f))
    upper = scores[k + 1] if k + 1 < len(scores) else scores[k] * 1.01 + 1e-9
    return float((scores[k] + upper) / 2)
