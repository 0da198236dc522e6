"""Fitting the ranker of the tags an article's text names (`tag_phrases`).

Training rows: each tagged article, in time order, describes the tags its text names with the
counts of all the other articles (its own tags and words left out), the recent counts of the
articles just before it, and the classifiers' out-of-fold confidences.  A conditional logit (a
softmax over each article's candidates, L2-penalised) learns to put an editor's tag first.

Calibration simulates use on new articles: classifiers fitted on the older two thirds of the
archive (the model's own term space, tags and Platt scaling) and the counts of those articles
describe each newer article, and the ranker's scores of their three best candidates are
Platt-scaled against the editors' tags, so the confidence holds under the drift of a news
archive.  The ranker is kept only when, on those newer articles, its first tag is an editor's tag
more often than the classifiers' first tag.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import expit

from .records import Article
from .tag_phrases import Counts, Found, Leave, Lexicon, Ranker, expand, features, rank
from .tag_training import _ovr

log = logging.getLogger(__name__)
CALIBRATION_TOP = 3  # candidates per article the calibration sees (the bench and editors see three)


@dataclass(frozen=True, slots=True)
class Material:
    """What the classifiers were fitted on, row by row: articles, (title, body) lemmas, term matrix,
    tag targets, name bonus (added to decision scores) and out-of-fold confidences."""

    articles: Sequence[Article]
    lemmas: Sequence[tuple[list[str], list[str]]]
    x: sparse.csr_matrix
    y: sparse.csc_matrix
    bonus: np.ndarray
    oof: np.ndarray


def time_order(articles: Sequence[Article]) -> list[int]:
    """Row numbers oldest first (by ``published_at`` when every article has one, else as given)."""
    if all(a.published_at for a in articles):
        return sorted(range(len(articles)), key=lambda i: articles[i].published_at.timestamp())  # type: ignore[union-attr]
    return list(range(len(articles)))


def fit_ranker(model, data: Material, options) -> tuple[Lexicon | None, Ranker | None]:
    """(lexicon counted over the whole archive, ranker) or (None, None) when it does not help."""
    order = time_order(data.articles)
    lexicon = Lexicon.build([a.editor_tags for a in data.articles], model.tags, options.recent_window)
    found = [lexicon.find(title, body) for title, body in data.lemmas]
    own = [lexicon.entries(a.editor_tags) for a in data.articles]
    ranker = _fit(lexicon, found, own, order, data.oof, options.rank_c)
    newer, probs, older = _simulate(model, data, lexicon, order, found, own, options)
    ranker.platt = _calibrate(ranker, older, [found[i] for i in newer], probs, [own[i] for i in newer])
    mine, theirs = _hits(older, ranker, [found[i] for i in newer], probs, model.tags,
                         [data.articles[i] for i in newer])
    log.info("tag ranker: first tag right on %d of %d newer articles, editor tags in the first three %d "
             "(classifiers alone %d, %d)", mine[0], len(newer), mine[1], theirs[0], theirs[1])
    if mine <= theirs:  # the first tag decides; on a tie, the editor tags found in the first three
        return None, None
    for i in order:
        lexicon.count(own[i], found[i].positions)
    return lexicon, ranker


def _fit(lexicon: Lexicon, found: list[Found], own: list[set[int]], order: list[int], oof: np.ndarray,
         c: float) -> Ranker:
    """The conditional logit over every article's named tags (out-of-fold counts and confidences)."""
    walk = _scratch(lexicon)
    total = Counts.zeros(len(lexicon))
    for i in order:
        total.uses[list(own[i])] += 1
        total.seen[list(found[i].positions)] += 1
    total.articles = len(order)
    rows: list[np.ndarray] = []
    labels: list[bool] = []
    sizes: list[int] = []
    for i in order:
        counts = Counts(total.uses, total.seen, walk.counts.recent_uses, walk.counts.recent_seen, total.articles)
        x, entries = features(lexicon, found[i], oof[i], counts, Leave(own[i], set(found[i].positions)))
        if any(j in own[i] for j in entries):
            rows.append(x)
            labels.extend(j in own[i] for j in entries)
            sizes.append(len(entries))
        walk.count(own[i], found[i].positions)
    x = np.vstack(rows)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a feature constant in training keeps zero weights, whatever it is later
    weights = conditional_logit(expand((x - mean) / scale), np.array(labels, dtype=np.float64), np.array(sizes), c)
    return Ranker(mean, scale, weights)


def conditional_logit(z: np.ndarray, y: np.ndarray, sizes: np.ndarray, c: float) -> np.ndarray:
    """Weights maximising Σ log softmax over each group of rows (``sizes`` consecutive rows each)
    of the share of its positive rows, minus ‖w‖² / 2c (L-BFGS)."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    target = y / np.repeat(np.add.reduceat(y, starts), sizes)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - np.repeat(top, sizes))
        total = np.add.reduceat(e, starts)
        value = (top + np.log(total)).sum() - (target * s).sum() + w @ w / (2 * c)
        return value, z.T @ (e / np.repeat(total, sizes) - target) + w / c

    return minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B").x


def _simulate(model, data: Material, lexicon: Lexicon, order: list[int], found: list[Found],
              own: list[set[int]], options) -> tuple[list[int], np.ndarray, Lexicon]:
    """(newer rows, their confidences from classifiers of the older rows, lexicon counted on the older)."""
    cut = len(order) * 2 // 3
    older, newer = order[:cut], order[cut:]
    weights, bias = _ovr(data.x[older], data.y[older], options)
    probs = model.calibrate((data.x[newer] @ weights).toarray() + bias + data.bonus[newer])
    past = _scratch(lexicon)
    for i in older:
        past.count(own[i], found[i].positions)
    return newer, probs, past


def _calibrate(ranker: Ranker, past: Lexicon, found: list[Found], probs: np.ndarray,
               own: list[set[int]]) -> tuple[float, float]:
    scores: list[float] = []
    labels: list[bool] = []
    for view, row, tagged in zip(found, probs, own, strict=True):
        x, entries = features(past, view, row, past.counts)
        s = ranker.scores(x)
        best = np.argsort(-s)[:CALIBRATION_TOP]
        scores.extend(s[best])
        labels.extend(entries[k] in tagged for k in best)
    if not scores or all(labels) or not any(labels):
        return 1.0, 0.0
    return platt(np.array(scores), np.array(labels, dtype=np.float64))


def platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(a, b) of p = sigmoid(a·score + b) by logistic loss (Platt's smoothed targets)."""
    positives = labels.sum()
    target = np.where(labels > 0, (positives + 1) / (positives + 2), 1 / (len(labels) - positives + 2))

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        z = ab[0] * scores + ab[1]
        err = expit(z) - target
        value = np.logaddexp(0, z).sum() - (target * z).sum()
        return value, np.array([(err * scores).sum(), err.sum()])

    a, b = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B").x
    return float(a), float(b)


def _hits(past: Lexicon, ranker: Ranker, found: list[Found], probs: np.ndarray, tags: Sequence[str],
          articles: list[Article]) -> tuple[tuple[int, int], tuple[int, int]]:
    """((first tags right, editor tags among the first three) ranked, the same for the classifiers alone)."""
    mine = [0, 0]
    theirs = [0, 0]
    for view, row, article in zip(found, probs, articles, strict=True):
        ranked = [tag for tag, _ in rank(past, ranker, view, row, tags, 3)[:3]]
        best = [tags[int(c)] for c in np.argsort(-row)[:3]] if len(row) else []
        for counts, top in ((mine, ranked), (theirs, best)):
            counts[0] += bool(top) and top[0] in article.editor_tags
            counts[1] += sum(tag in article.editor_tags for tag in top)
    return (mine[0], mine[1]), (theirs[0], theirs[1])


def _scratch(lexicon: Lexicon) -> Lexicon:
    """The same entries with empty counts."""
    return Lexicon(lexicon.keys, lexicon.forms, lexicon.vocab, Counts.zeros(len(lexicon)), lexicon.window)
