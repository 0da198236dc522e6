"""Related news for an article: its story thread first, then articles close in content, tags and entities.

A pure function over candidate articles the storage layer provides (``RelatedIndex`` helps find them
quickly by shared salient lemmas, tags and entities).  Rules:

* never the article itself, nor its copies: an article and everything whose ``duplicate_of`` points to
  the same original form one group, and each group appears at most once (by its original when present);
* articles of the same thread come first, the newest first;
* the rest are scored ``content · cos + tags · J(tags) + entities · J(entities)`` (cosine of TF-IDF
  vectors, Jaccard overlap of tag sets and entity names), times a time factor ``2^(−Δ/half_life)`` where
  Δ is the distance in time from the article, counted half for newer articles (newer preferred).

    related(article, candidates, vectors=..., options=RelatedOptions(limit=10)) -> [Related, ...]
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from newsdesk.records import Article
from newsdesk.similarity import TextVector, Vectorizer, analyse, cosine, jaccard

THREAD = "thread"
SIMILAR = "similar"


@dataclass(frozen=True, slots=True)
class RelatedOptions:
    limit: int = 10
    content: float = 1.0  # weight of the TF-IDF cosine
    tags: float = 0.5  # weight of the tag overlap
    entities: float = 0.5  # weight of the entity overlap
    half_life: timedelta = timedelta(days=7)  # time factor halves at this distance (older articles)
    min_score: float = 0.08  # weaker matches are not worth showing


@dataclass(frozen=True, slots=True)
class Related:
    article_id: str
    score: float
    reason: str  # THREAD or SIMILAR


def group_of(article: Article) -> str:
    """The id shared by an article and its copies: its original's id."""
    return article.duplicate_of or article.id or ""


def related(article: Article, candidates: Iterable[Article], vectors: Mapping[str, TextVector] | None = None,
            vectorizer: Vectorizer | None = None, options: RelatedOptions | None = None) -> list[Related]:
    """Related articles, best first.  Missing vectors are computed with ``vectorizer`` (slow: analysis)."""
    options = options or RelatedOptions()
    vectorizer = vectorizer or Vectorizer(learn=False)
    vectors = dict(vectors or {})
    own = group_of(article)
    best: dict[str, tuple[bool, tuple, Related]] = {}
    for candidate in candidates:
        group = group_of(candidate)
        if not candidate.id or candidate.id == article.id or group == own:
            continue
        entry = _score(article, candidate, vectors, vectorizer, options)
        if entry is not None:
            ranked = (candidate.duplicate_of is None, *entry)
            best[group] = _keep(ranked, best.get(group))
    ranked_all = sorted(best.values(), key=lambda e: e[1])
    return [related for _, _, related in ranked_all][: options.limit]


def _keep(new: tuple[bool, tuple, Related], current: tuple[bool, tuple, Related] | None
          ) -> tuple[bool, tuple, Related]:
    """One article per copy group: its original when it is a candidate, else the best ranked copy."""
    if current is None or new[0] > current[0]:
        return new
    return new if new[0] == current[0] and new[1] < current[1] else current


def _score(article: Article, candidate: Article, vectors: dict[str, TextVector], vectorizer: Vectorizer,
           options: RelatedOptions) -> tuple[tuple, Related] | None:
    newer = _timestamp(candidate)
    if article.thread_id and candidate.thread_id == article.thread_id:
        return (0, -newer, candidate.id), Related(candidate.id or "", 1.0, THREAD)
    similarity = _similarity(article, candidate, vectors, vectorizer, options)
    score = similarity * _time_factor(article, candidate, options)
    if score < options.min_score:
        return None
    return (1, -score, -newer, candidate.id), Related(candidate.id or "", score, SIMILAR)


def _similarity(article: Article, candidate: Article, vectors: dict[str, TextVector], vectorizer: Vectorizer,
                options: RelatedOptions) -> float:
    content = cosine(_vector(article, vectors, vectorizer).terms, _vector(candidate, vectors, vectorizer).terms)
    tags = jaccard(_folded(article.tags), _folded(candidate.tags))
    entities = jaccard(_folded(e.name for e in article.entities), _folded(e.name for e in candidate.entities))
    return blend(content, tags, entities, options)


def blend(content: float, tags: float, entities: float, options: RelatedOptions) -> float:
    return options.content * content + options.tags * tags + options.entities * entities


UNDATED = 0.5  # time factor of an undated candidate (a bare headline): after dated ones of equal match
DENSE_FLOOR = 0.82  # e5 cosine of unrelated news: the median of the bundled sample's different-story pairs
DENSE_ACROSS = 0.02  # ... lower across languages (Russian–Kazakh median 0.80, same language 0.82)
DENSE_SPAN = 0.12  # from the floor + this (a typical same-story pair) content counts in full


def dense_content(cos: float, across_languages: bool = False) -> float:
    """A dense-vector cosine put on a 0–1 content scale: 0 up to what unrelated news scores, 1 from 0.94.
    Unlike lemmas it reads across languages: a Kazakh article's related Russian news."""
    floor = DENSE_FLOOR - (DENSE_ACROSS if across_languages else 0.0)
    return min(1.0, max(0.0, (cos - floor) / DENSE_SPAN))


@dataclass(frozen=True, slots=True)
class Candidate:
    """What `rerank` needs of an article: tags (the ones that fit it), entity keys, time, dense vector."""

    id: str
    tags: frozenset[str]
    entities: frozenset[str]
    published_at: datetime | None = None
    vector: np.ndarray | None = None
    lang: str | None = None


def rerank(article: Candidate, candidates: Sequence[Candidate], options: RelatedOptions | None = None,
           tag_weights: Mapping[str, float] | None = None) -> list[str]:
    """Candidate ids best first by ``content · dense_content(cos) + tags · T + entities · E`` times the time
    factor (newer preferred, `UNDATED` without a date).  ``T`` is the share of the article's tag weight the
    candidate carries (``tag_weights``, e.g. how specific each tag is; 1 each by default) and ``E`` the share
    of its entities: a candidate is not punished for tags of its own, and «АЭС» counts for more than «Астана».
    Content counts where both have vectors.  Ties keep the given order."""
    options = options or RelatedOptions()
    weights = {t: (tag_weights or {}).get(t, 1.0) for t in article.tags}
    total = sum(weights.values())
    scores = {}
    for c in candidates:
        across = bool(article.lang and c.lang and article.lang != c.lang)
        content = (dense_content(float(article.vector @ c.vector), across)
                   if article.vector is not None and c.vector is not None else 0.0)
        tags = sum(w for t, w in weights.items() if t in c.tags) / total if total else 0.0
        entities = len(article.entities & c.entities) / len(article.entities) if article.entities else 0.0
        score = blend(content, tags, entities, options)
        timing = _time_between(article.published_at, c.published_at, options) if c.published_at else UNDATED
        scores[c.id] = score * timing
    order = {c.id: i for i, c in enumerate(candidates)}
    return sorted(scores, key=lambda i: (-scores[i], order[i]))


def _vector(article: Article, vectors: dict[str, TextVector], vectorizer: Vectorizer) -> TextVector:
    key = article.id or ""
    if key not in vectors:
        vectors[key] = vectorizer.vector(analyse(article))
    return vectors[key]


def _folded(names: Iterable[str]) -> set[str]:
    return {n.casefold() for n in names}


def _timestamp(article: Article) -> float:
    return article.published_at.timestamp() if article.published_at else 0.0


def _time_factor(article: Article, candidate: Article, options: RelatedOptions) -> float:
    return _time_between(article.published_at, candidate.published_at, options)


def _time_between(article: datetime | None, candidate: datetime | None, options: RelatedOptions) -> float:
    if not (article and candidate):
        return 1.0
    delta = candidate - article
    distance = delta / 2 if delta > timedelta(0) else -delta
    return 0.5 ** (distance / options.half_life)


class RelatedIndex:
    """In-memory inverted index from salient lemmas, tags and entity names to recent article ids.

    Bounded: beyond ``max_items`` the earliest added article is forgotten.  ``candidates`` returns the
    ids sharing the most weighted keys with a query article, for `related` to score.
    """

    def __init__(self, max_items: int = 200_000):
        self.max_items = max_items
        self._keys: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._postings: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, article: Article, vector: TextVector) -> None:
        article_id = article.id or ""
        self.remove(article_id)
        keys = query_keys(article, vector)
        self._keys[article_id] = keys
        for key in keys:
            self._postings.setdefault(key, set()).add(article_id)
        while len(self._keys) > self.max_items:
            self.remove(next(iter(self._keys)))

    def remove(self, article_id: str) -> None:
        for key in self._keys.pop(article_id, ()):
            posting = self._postings[key]
            posting.discard(article_id)
            if not posting:
                del self._postings[key]

    def candidates(self, article: Article, vector: TextVector, limit: int = 200) -> list[str]:
        hits: Counter[str] = Counter()
        for key in query_keys(article, vector):
            for article_id in self._postings.get(key, ()):
                hits[article_id] += 1
        hits.pop(article.id or "", None)
        return [article_id for article_id, _ in hits.most_common(limit)]


def query_keys(article: Article, vector: TextVector) -> tuple[str, ...]:
    """Keys to look candidates up by (also usable as a full-text query): lemmas, tags, entities."""
    keys = [f"l:{t}" for t in vector.top]
    keys += [f"t:{t.casefold()}" for t in article.tags]
    keys += [f"e:{e.name.casefold()}" for e in article.entities]
    return tuple(dict.fromkeys(keys))
