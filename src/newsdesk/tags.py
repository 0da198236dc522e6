"""Tags learned from an outlet's archive: suggestion, incremental update, audit, primary tag.

`TagModel.train` learns the outlet's own vocabulary from its editors' tags (see `tag_training`):
one-vs-rest logistic regressions over lemmas and entity names, with Platt-calibrated confidence.
An archive of a few hundred tagged articles also gets a ranker of the tags its texts name
(`tag_phrases`, fitted by `tag_ranking`): every tag its editors ever used, found by lemmas.
`suggest` returns the top tags an article does not carry yet; `apply` splits them at
`TagModel.apply_threshold` into applied tags (``Article.auto_tags``, kept apart from the editor's)
and suggestions (``Article.suggested_tags``).  `TagModel.update` learns from one newly tagged
article at once (a logistic-loss SGD step, see its docstring).  `audit` scores every editor tag
of an article and flags those that do not fit; `place_tags` and `entity_tags` give tags of kind
place, person and organisation; `choose_primary` orders an article's tags for its feed card.

A model is stored as one ``.npz`` of plain arrays plus a ``.json`` of metadata (no pickle).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit

from . import analyze, features, tag_phrases
from .features import TermSpace
from .records import Article, TagScore
from .tag_phrases import Lexicon, Ranker
from .tag_variants import word_key

log = logging.getLogger(__name__)


MIN_EXAMPLES = 3  # the default of `TagOptions.min_examples`, for models saved without it


@dataclass(frozen=True, slots=True)
class TagOptions:
    """How `TagModel.train` fits a model and how the model decides."""

    min_examples: int = MIN_EXAMPLES  # tags on fewer training articles are not learned
    max_tags: int = 3000  # the most frequent tags learned (training time grows with each tag)
    c: float = 8.0  # inverse regularisation of each tag's logistic regression
    keep_weights: int = 400  # largest weights kept per tag
    folds: int = 3  # out-of-fold scores for calibration
    min_df: int = 2
    max_terms: int = 40_000
    apply_threshold: float = 0.6  # calibrated confidence from which a tag is applied, not suggested
    audit_beta: float = 0.5  # the audit threshold maximises this F-beta on out-of-fold scores
    audit_rule_articles: int = 200  # fewer tagged articles: the audit judges a tag by its confidence alone
    learning_rate: float = 4.0  # of `TagModel.update` (term vectors have unit length)
    name_weight: float = 2.0  # score bonus for a tag whose own words are in the article
    rank_min_articles: int = 200  # from this many tagged articles, tags named in the text are ranked too
    rank_c: float = 0.1  # inverse regularisation of that ranker
    recent_window: int = 200  # the ranker's "recent" counts: over this many latest tagged articles


@dataclass(frozen=True, slots=True)
class AuditFlag:
    """An editor tag that does not fit its article: its fit score and the tag that fits better."""

    tag: str
    score: float
    better: str | None


@dataclass(slots=True)
class TagModel:
    space: TermSpace
    tags: list[str]
    weights: sparse.csr_matrix  # (terms, tags)
    bias: np.ndarray  # (tags,)
    platt: np.ndarray  # (tags, 2): confidence = sigmoid(a * score + b)
    counts: np.ndarray  # training articles per tag
    articles: int  # training articles
    apply_threshold: float = 0.6
    audit_threshold: float = 0.0
    learning_rate: float = 4.0
    meta: dict = field(default_factory=dict)
    name_weight: float = 0.0  # added to a tag's score when the article contains the tag's words
    audit_weights: np.ndarray | None = None  # of `audit_features` and a bias; None: the fit is the confidence
    lexicon: Lexicon | None = None  # every tag of the archive, for `ranker` (None: no ranker)
    ranker: Ranker | None = None  # ranks the tags an article's text names (`tag_phrases`)
    index: dict[str, int] = field(default_factory=dict)
    names: NameMatcher = field(init=False)

    def __post_init__(self) -> None:
        self.index = {tag: j for j, tag in enumerate(self.tags)}
        self.names = NameMatcher(self.tags)

    @classmethod
    def train(cls, articles: Sequence[Article], options: TagOptions | None = None) -> TagModel:
        """Learn the tags of ``articles`` (their ``editor_tags``); rare tags are skipped."""
        from .tag_training import fit

        return fit(articles, options or TagOptions())

    def __contains__(self, tag: str) -> bool:
        """Whether the model has learned ``tag`` (from `min_examples` tagged articles on)."""
        j = self.index.get(tag)
        return j is not None and self.counts[j] >= self.min_examples

    @property
    def min_examples(self) -> int:
        """Tagged articles from which a tag is learned: training skips rarer tags, and a tag `update`
        meets for the first time is neither suggested nor judged by the audit before that many."""
        return int(self.meta.get("min_examples", MIN_EXAMPLES))

    def calibrate(self, scores: np.ndarray) -> np.ndarray:
        """Decision scores (…, tags) → calibrated confidences (0 for a tag not learned yet)."""
        probs = expit(scores * self.platt[:, 0] + self.platt[:, 1])
        learning = self.counts < self.min_examples
        if learning.any():
            probs = np.where(learning, 0.0, probs)
        return probs

    def audit_scores(self, probs: np.ndarray, given: Sequence[int]) -> np.ndarray:
        """How well each given tag (columns of one article's confidences ``probs``) fits, 0..1.

        A logistic rule over `audit_features`, fitted when the model was trained; a model without
        one (too few tagged articles) uses the confidences themselves.
        """
        return audit_fit(self.audit_weights, probs, given)

    def scores(self, bag: Sequence[str]) -> np.ndarray:
        """Decision scores of every tag for one bag of terms."""
        idx, values = self.space.vector(bag)
        scores = self.weights[idx].T @ values + self.bias if len(idx) else self.bias.copy()
        return scores + self.name_weight * self.names.match(bag) if self.name_weight else scores

    def confidences(self, article: Article, lemmas: Sequence[str] | None = None) -> np.ndarray:
        return self.calibrate(self.scores(features.article_terms(article, lemmas, undated=True)))

    def suggest(self, article: Article, k: int = 5, lemmas: Sequence[str] | None = None,
                min_confidence: float = 0.02) -> list[TagScore]:
        """The ``k`` most confident tags the article's editor has not given, best first.

        With a ranker, the tags of the archive the text names are ranked by it (and may be tags
        too rare to have a classifier); the classifiers' other tags keep their own confidence.
        """
        title, body = features.article_lemmas(article, lemmas, undated=True)
        probs = self.calibrate(self.scores(features.terms(title, body, article.entities)))
        given = set(article.editor_tags)
        if self.ranker is None or self.lexicon is None:
            ranked = [(self.tags[j], float(probs[j])) for j in np.argsort(-probs)[:k + len(given)]]
        else:
            given |= {self.lexicon.forms[j] for j in self.lexicon.entries(given)}
            found = self.lexicon.find(title, body)
            ranked = tag_phrases.rank(self.lexicon, self.ranker, found, probs, self.tags, k + len(given))
        top = [(tag, p) for tag, p in ranked if tag not in given][:k]
        return [TagScore(tag, round(p, 4)) for tag, p in top if p >= min_confidence]

    def explain(self, article: Article, tag: str, k: int = 10,
                lemmas: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` words and entities of the article that weigh most for ``tag`` (empty if unknown)."""
        if tag not in self.index:
            return []
        idx, values = self.space.vector(features.article_terms(article, lemmas, undated=True))
        if not len(idx):
            return []
        weights = self.weights[idx, self.index[tag]].toarray().ravel() * values
        top = np.argsort(-weights)[:k]
        return [(features.display(self.space.vocabulary[idx[i]]), round(float(weights[i]), 4))
                for i in top if weights[i] > 0]

    def update(self, article: Article, lemmas: Sequence[str] | None = None) -> None:
        """Learn from one article its editor has just tagged, new tags included.

        One stochastic-gradient step of each tag's logistic loss on the article (the
        ``partial_fit`` of scikit-learn's SGDClassifier, done on our sparse weights): tags the
        article carries move towards it, tags scored high that it does not carry move away;
        others are untouched.  Each tag's step shrinks as 1 / its articles, so one article does not
        undo what training learnt from hundreds.  Words new to the vocabulary are added with the IDF
        of a word seen once.

        A tag never seen before: with a ranker (an archive of `rank_min_articles` tagged articles),
        the ranker's lexicon learns it at once and suggests it where a text names it, and it gets a
        classifier at the next `newsdesk train` (a classifier grown from a few steps is not what the
        ranker learnt to read).  Without one, it gets a classifier that starts from this article and is
        suggested and judged once `min_examples` articles carry it (see `_count`).
        """
        if self.ranker is None:
            for tag in article.editor_tags:
                if tag not in self.index:
                    self._add_tag(tag)
        title, body = features.article_lemmas(article, lemmas, undated=True)
        if self.lexicon is not None:
            tagged = self.lexicon.add(article.editor_tags)
            self.lexicon.count(tagged, self.lexicon.find(title, body).positions)
        bag = features.terms(title, body, article.entities)
        if self.space.add(bag, self.articles + 1):
            self.weights.resize((len(self.space), len(self.tags)))
        idx, values = self.space.vector(bag)
        if not len(idx):
            return
        raw = expit(self.weights[idx].T @ values + self.bias)
        target = np.zeros(len(self.tags))
        target[[self.index[t] for t in article.editor_tags if t in self.index]] = 1
        gradient = raw - target
        active = np.flatnonzero(np.abs(gradient) > 0.1)
        rate = self.learning_rate * self.min_examples / np.maximum(self.counts[active], self.min_examples)
        step = np.outer(values, -rate * gradient[active]).ravel()
        cells = (np.repeat(idx, len(active)), np.tile(active, len(idx)))
        self.weights = (self.weights + sparse.csr_matrix((step, cells), shape=self.weights.shape)).tocsr()
        self.bias[active] -= 0.1 * rate * gradient[active]
        self._count(article.editor_tags)

    def _count(self, editor_tags: Sequence[str]) -> None:
        """One more article carries these tags; a tag that reaches `min_examples` is learned from now on,
        its confidence calibrated like the trained tags' (the median of their scalings)."""
        columns = [self.index[t] for t in set(editor_tags) if t in self.index]
        self.counts[columns] += 1
        self.articles += 1
        ready = [j for j in columns if self.counts[j] == self.min_examples]
        if not ready:
            return
        trained = self.counts >= self.min_examples
        trained[ready] = False
        if trained.any():
            self.platt[ready] = np.median(self.platt[trained], axis=0)

    def _add_tag(self, tag: str) -> None:
        self.index[tag] = len(self.tags)
        self.tags.append(tag)
        self.names.add(tag)
        self.weights.resize((len(self.space), len(self.tags)))
        self.bias = np.append(self.bias, np.float32(-3.0))
        self.platt = np.vstack([self.platt, [1.0, 0.0]]).astype(np.float32)
        self.counts = np.append(self.counts, 0)

    def save(self, path: Path) -> None:
        """Write ``path`` (.npz arrays) and ``path`` with suffix .json (tags and metadata)."""
        path = Path(path)
        w = self.weights.tocsr()
        arrays: dict[str, Any] = self.space.to_arrays("space_") | {
            "w_data": w.data, "w_indices": w.indices, "w_indptr": w.indptr,
            "bias": self.bias, "platt": self.platt, "counts": self.counts}
        if self.lexicon is not None and self.ranker is not None:
            arrays |= self.lexicon.to_arrays("lex_") | self.ranker.to_arrays("rank_")
        np.savez_compressed(path, **arrays)
        head = {"tags": self.tags, "articles": self.articles, "apply_threshold": self.apply_threshold,
                "audit_threshold": self.audit_threshold, "learning_rate": self.learning_rate, "meta": self.meta,
                "name_weight": self.name_weight,
                "audit_weights": None if self.audit_weights is None else self.audit_weights.tolist(),
                "lexicon": self.lexicon.head() if self.lexicon is not None and self.ranker is not None else None}
        path.with_suffix(".json").write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> TagModel:
        path = Path(path)
        head = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as a:
            space = TermSpace.from_arrays(a, "space_")
            shape = (len(space), len(head["tags"]))
            weights = sparse.csr_matrix((a["w_data"], a["w_indices"], a["w_indptr"]), shape=shape)
            bias, platt, counts = a["bias"], a["platt"], a["counts"]
            lexicon = Lexicon.from_arrays(a, "lex_", head["lexicon"]) if head.get("lexicon") else None
            ranker = Ranker.from_arrays(a, "rank_") if lexicon is not None else None
        audit_weights = head.get("audit_weights")
        return cls(space, head["tags"], weights, bias, platt, counts, head["articles"], head["apply_threshold"],
                   head["audit_threshold"], head["learning_rate"], head["meta"], head.get("name_weight", 0.0),
                   None if audit_weights is None else np.array(audit_weights), lexicon, ranker)


class NameMatcher:
    """How much of each tag's own name an article contains: the share of the tag's content lemmas
    («Пенсия 2026» → пенсия) found among the article's terms, 0..1 per tag."""

    def __init__(self, tags: Iterable[str] = ()) -> None:
        self.size = 0
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for tag in tags:
            self.add(tag)

    def add(self, tag: str) -> None:
        words = set(features.content(analyze.lemmas(tag)))
        for word in words:
            self.postings.setdefault(word, []).append((self.size, 1 / len(words)))
        self.size += 1

    def match(self, bag: Sequence[str]) -> np.ndarray:
        share = np.zeros(self.size)
        for word in set(bag):
            for j, part in self.postings.get(word, ()):
                share[j] += part
        return share


def suggest(article: Article, model: TagModel, k: int = 5, lemmas: Sequence[str] | None = None) -> list[TagScore]:
    return model.suggest(article, k, lemmas)


def explain(article: Article, tag: str, model: TagModel, k: int = 10,
            lemmas: Sequence[str] | None = None) -> list[tuple[str, float]]:
    """Why ``tag`` fits (or not): the article's terms with the largest positive weight for it."""
    return model.explain(article, tag, k, lemmas)


def apply(article: Article, model: TagModel, k: int = 5,
          lemmas: Sequence[str] | None = None) -> tuple[list[TagScore], list[TagScore]]:
    """(applied, suggested): the top ``k`` tags split at the model's apply threshold."""
    top = model.suggest(article, k, lemmas)
    return ([t for t in top if t.confidence >= model.apply_threshold],
            [t for t in top if t.confidence < model.apply_threshold])


def fit_scores(article: Article, model: TagModel, lemmas: Sequence[str] | None = None) -> dict[str, float | None]:
    """Every editor tag's audit fit score (`TagModel.audit_scores`); None for tags the model lacks."""
    known = [tag for tag in dict.fromkeys(article.editor_tags) if tag in model]
    fits = model.audit_scores(model.confidences(article, lemmas), [model.index[t] for t in known])
    scores = dict(zip(known, fits, strict=True))
    return {tag: (round(float(scores[tag]), 4) if tag in scores else None) for tag in article.editor_tags}


def audit(article: Article, model: TagModel, lemmas: Sequence[str] | None = None,
          threshold: float | None = None) -> list[AuditFlag]:
    """Editor tags whose fit is below the audit threshold, worst first, with a better-fitting tag.

    For articles the model did not learn from (new ones); a model has learned the wrong tags of
    its own training articles too, so audit an archive with `audit_archive`.  Tags the model does
    not know (too rare in the archive, or new) are not judged.
    """
    return _flags(article, model, model.confidences(article, lemmas), threshold)


def audit_archive(articles: Sequence[Article], options: TagOptions | None = None,
                  threshold: float | None = None) -> tuple[TagModel, list[tuple[Article, AuditFlag]]]:
    """Train on an archive and audit every article with a model that did not see it, worst first.

    Each article is scored by the out-of-fold models of training (the archive split in
    ``options.folds``), so a wrong tag cannot vouch for itself.  Returns the model trained on the
    whole archive too, and ``[(article, flag)]`` sorted by fit score.
    """
    from .tag_training import fit_with_oof

    model, tagged, probs = fit_with_oof(articles, options or TagOptions())
    if probs is None:  # too few articles for folds: the full model has to do
        probs = np.array([model.confidences(a) for a in tagged])
    found = [(a, flag) for a, row in zip(tagged, probs, strict=True) for flag in _flags(a, model, row, threshold)]
    return model, sorted(found, key=lambda pair: pair[1].score)


AUDIT_MIN_USES = 5  # judged by confidence alone (a small archive), a tag on fewer articles is rare, not wrong


def _flags(article: Article, model: TagModel, probs: np.ndarray, threshold: float | None) -> list[AuditFlag]:
    threshold = model.audit_threshold if threshold is None else threshold
    given = set(article.editor_tags)
    best = next((j for j in np.argsort(-probs) if model.tags[j] not in given), None)
    named = _in_title(article)
    known = [tag for tag in dict.fromkeys(article.editor_tags) if tag in model and not named(tag)]
    if model.audit_weights is None:  # confidence alone: a tag the model saw on a handful of articles is low for that
        known = [tag for tag in known if model.counts[model.index[tag]] >= AUDIT_MIN_USES]
    fits = model.audit_scores(probs, [model.index[tag] for tag in known])
    flags = []
    for tag, fit in zip(known, fits, strict=True):
        if fit < threshold:
            better = model.tags[best] if best is not None and probs[best] > probs[model.index[tag]] else None
            flags.append(AuditFlag(tag, round(float(fit), 4), better))
    return sorted(flags, key=lambda flag: flag.score)


def _in_title(article: Article) -> Callable[[str], bool]:
    """Whether a tag is named in the article's title («Актобе» on «В Актобе рекламный щит упал…»): the headline
    says what the story is about, so such a tag is never flagged, whatever the model has learnt."""
    title = tag_phrases.normalise(analyze.lemmas(article.title, article.lang or "ru")) if article.title else ()

    def named(tag: str) -> bool:
        words = tag_phrases.key(tag)
        return bool(words) and any(title[i:i + len(words)] == words for i in range(len(title) - len(words) + 1))

    return named


AUDIT_FEATURES = ("log confidence", "below the median of the article's other tags", "below its best other tag",
                  "below the article's most confident tag")
_EPS = 1e-6


def audit_fit(weights: np.ndarray | None, probs: np.ndarray, given: Sequence[int]) -> np.ndarray:
    """Fit scores of the given tags by the audit rule ``weights`` (`audit_features`, then a bias); None: confidences."""
    if weights is None or not len(given):
        return probs[list(given)]
    return expit(audit_features(probs, given) @ weights[:-1] + weights[-1])


def audit_features(probs: np.ndarray, given: Sequence[int]) -> np.ndarray:
    """The audit's view of each given tag of one article (``probs``: the article's confidences).

    Per tag, in log confidence: its own; its margin below the median and below the best of the
    article's other given tags (0 without others); its margin below the article's most confident
    tag. A tag that fits far worse than its neighbours is suspect even when a drifting archive
    gives every tag of the article a low confidence.
    """
    logs = np.log(probs[list(given)].astype(np.float64) + _EPS)
    top = math.log(float(probs.max()) + _EPS) if len(probs) else 0.0
    rows = np.zeros((len(logs), len(AUDIT_FEATURES)))
    for k, value in enumerate(logs):
        others = np.delete(logs, k)
        rows[k] = (value, value - np.median(others) if len(others) else 0.0,
                   value - others.max() if len(others) else 0.0, value - top)
    return rows


def place_tags(article: Article) -> list[TagScore]:
    """Places of Kazakhstan the article mentions (the gazetteer), as tags of kind ``place``.

    A place is one tag in every language: it is named in Russian here and stored so
    (`gazetteer.canonical_tag`); pages show it in Kazakh on Kazakh articles (`gazetteer.tag_label`)."""
    try:
        from . import gazetteer
    except ImportError:  # the gazetteer is optional: no place tags without it
        return []
    return [TagScore(place.ru, 1.0, "place") for place in gazetteer.match(article.text, article.lang)]


ENTITY_KINDS = {"PER": "person", "ORG": "organisation"}


def same_tag(tag: str) -> tuple[str, ...]:
    """What makes two spellings one tag on an article: the same words, case, «ё», Kazakh letters and order
    aside («Бишимбаев Куандык» and «Куандык Бишимбаев»)."""
    return word_key(tag) or (tag.casefold(),)


def entity_tags(article: Article, min_mentions: int = 2) -> list[TagScore]:
    """People and organisations named at least ``min_mentions`` times, as tags with their kind.  A person
    needs a full name: a lone word is a first name or a misreading («Лев», «Дева» of a horoscope), not a
    topic for a tag page.  Items that are not news (a horoscope, an advert) get no such tags."""
    if article.rubric == "not_news":
        return []
    total = sum(e.mentions for e in article.entities if e.type in ENTITY_KINDS) or 1
    return [TagScore(e.name, round(min(1.0, 0.5 + e.mentions / total), 4), ENTITY_KINDS[e.type])
            for e in sorted(article.entities, key=lambda e: -e.mentions)
            if e.type in ENTITY_KINDS and e.mentions >= min_mentions and e.name
            and (e.type != "PER" or len(e.name.split()) > 1)]


# Feed-card preference by kind: a running story says most, a place least.
KIND_BONUS = {"story": 0.3, "topic": 0.1, "person": 0.05, "organisation": 0.05, "place": 0.0}
_STORY = re.compile(r"\b(19|20)\d\d\b")


def specificity(tag: str, model: TagModel | None = None) -> float:
    """How specific a tag is, 0..1: 1 − log(1+df)/log(1+N) over the model's archive, else 0.5."""
    if model is None or tag not in model or model.articles < 2:
        return 0.5
    df = float(model.counts[model.index[tag]])
    return max(0.0, 1 - math.log1p(df) / math.log1p(model.articles))


def tag_kind(tag: str, article: Article, default: str = "topic") -> str:
    """The kind the article records for a tag; a tag naming a year («Пенсия 2026») is a story."""
    return article.tag_kinds.get(tag) or ("story" if _STORY.search(tag) else default)


def choose_primary(article: Article, model: TagModel | None = None, doubted: Iterable[str] = ()) -> list[str]:
    """The article's tags ordered for its feed card, primary first (never alphabetical).

    Candidates are the editor's tags (confidence 1) and the applied ``auto_tags``. Each scores
    ``confidence × (specificity + kind bonus)``: specificity favours tags rare in the outlet's
    archive («Пенсия 2026» over «Экономика»), the bonus favours story > topic > person and
    organisation > place. Ties keep the editor's order, editor tags before engine tags.  The
    ``doubted`` tags (editor tags the audit flags) come last: a password warning filed under
    «Футбол» keeps the tag, but its card is not labelled with it.
    """
    doubted = set(doubted)
    candidates: dict[str, tuple[float, str]] = {}
    for tag in article.editor_tags:
        candidates.setdefault(tag, (1.0, tag_kind(tag, article)))
    for scored in article.auto_tags:
        candidates.setdefault(scored.tag, (scored.confidence, article.tag_kinds.get(scored.tag) or scored.kind))
    scores = {tag: _primary_score(tag, confidence, kind, model) for tag, (confidence, kind) in candidates.items()}
    return sorted(candidates, key=lambda tag: (tag in doubted, -scores[tag]))  # stable: ties keep the given order


def _primary_score(tag: str, confidence: float, kind: str, model: TagModel | None) -> float:
    return confidence * (specificity(tag, model) + KIND_BONUS.get(kind, 0.0))


def merge(*groups: Iterable[TagScore]) -> list[TagScore]:
    """Tag scores of several sources, one per tag (the most confident), in first-seen order."""
    best: dict[str, TagScore] = {}
    for group in groups:
        for scored in group:
            if scored.tag not in best or scored.confidence > best[scored.tag].confidence:
                best[scored.tag] = scored
    return list(best.values())
