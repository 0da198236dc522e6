"""Text vectors shared by threads, related news and the benchmarks.

An article becomes a `TextVector`: an L2-normalised TF-IDF vector over its lemmas (sublinear term
frequency; the title counted ``title_weight`` times; of the body only the first ``body_terms`` lemmas,
where the event is told; names — entity names, or capitalised words inside sentences — boosted
``name_boost`` times; numbers kept as terms; Kazakh letters folded so «Сәрсенбаев» meets «Сарсенбаев»;
terms in more than ``max_df`` of the background documents dropped as stop words),
plus the salient terms used to index it.  IDF comes from `DocumentFrequencies`, learnt from a background
corpus (the archive) and updated online as articles arrive.  The expensive part — tokenising and
lemmatising — is `analyse()`; turning its `TextLemmas` into a vector is cheap and can be redone when
IDF changes.  (natasha's navec vectors were measured too and did not help: bench/threads.py.)

    analyse(article) -> TextLemmas  (lemmas of title and body, names)
    Vectorizer(frequencies).vector(lemmas) -> TextVector
    cosine(a.terms, b.terms) -> float
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from newsdesk.analyze import lemmas
from newsdesk.kazakh import russian_letters
from newsdesk.lang import detect
from newsdesk.records import Article

Sparse = dict[str, float]

_SENTENCE = re.compile(r"(?<=[.!?…»\"])\s+|\n+")
_CAPITAL = re.compile(r"\b[А-ЯЁӘҒҚҢӨҰҮҺІA-Z][\w-]+")


@dataclass(frozen=True, slots=True)
class TextLemmas:
    """The language-dependent part of a vector: what `analyse` computes once per article."""

    title: tuple[str, ...]
    body: tuple[str, ...]
    names: frozenset[str] = frozenset()  # lemmas of entity names / capitalised words


@dataclass(frozen=True, slots=True)
class TextVector:
    terms: Sparse  # L2-normalised TF-IDF weights
    title: Sparse  # L2-normalised TF-IDF of the title alone (for picking a thread title)
    top: tuple[str, ...] = ()  # salient terms, strongest first (for inverted indexes)


def terms(text: str, lang: str | None) -> tuple[str, ...]:
    """Lemmas with the Kazakh letters folded to their Russian look-alikes (Сәрсенбаев ~ Сарсенбаев).

    Interned: an archive's worth of analysed texts then shares one copy of each term.
    """
    return tuple(intern(russian_letters(lemma)) for lemma in lemmas(text, lang))


def name_terms(article: Article, lang: str | None) -> frozenset[str]:
    """Terms of the article's entity names, or of capitalised words inside sentences if it has none."""
    if article.entities:
        return frozenset(terms(" ".join(e.name for e in article.entities), lang))
    parts = _SENTENCE.split(article.text)
    words = [m.group() for part in parts for m in _CAPITAL.finditer(part) if m.start()]
    return frozenset(terms(" ".join(words), lang))


def analyse(article: Article) -> TextLemmas:
    """The terms of title and body (lead included) and of names, in the article's language."""
    lang = article.lang or detect(article.text)
    body = "\n\n".join(part for part in (article.lead, article.body) if part)
    return TextLemmas(terms(article.title, lang), terms(body, lang), name_terms(article, lang))


@dataclass(slots=True)
class DocumentFrequencies:
    """Document frequencies of lemmas: IDF from a background corpus, updated online.

    Bounded: when more than ``max_terms`` terms are counted, the rarest are dropped (they then get the
    IDF of an unseen term, which is what they nearly had).  State is ``to_dict()`` / ``from_dict()``.
    """

    docs: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    max_terms: int = 500_000
    _cache: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    _cached_at: int = field(default=-1, repr=False, compare=False)

    @classmethod
    def fit(cls, documents: Iterable[Iterable[str]], max_terms: int = 500_000) -> DocumentFrequencies:
        frequencies = cls(max_terms=max_terms)
        for terms in documents:
            frequencies.add(terms)
        return frequencies

    def idf(self, term: str) -> float:
        """``ln((N + 1) / (df + 1)) + 1``, cached until the corpus grows by 1 %."""
        value = self._cache.get(term)
        if value is None:
            if self.docs > self._cached_at * 1.01 + 1:
                self._cache.clear()
                self._cached_at = self.docs
            value = self._cache[term] = math.log((self.docs + 1) / (self.counts.get(term, 0) + 1)) + 1.0
        return value

    def add(self, terms: Iterable[str]) -> None:
        self.docs += 1
        self.counts.update(set(terms))
        if len(self.counts) > self.max_terms:
            self._prune()
        if self.docs > self._cached_at * 1.01 + 1:
            self._cache.clear()
            self._cached_at = self.docs

    def cached(self) -> dict[str, float]:
        """The IDF values computed since the last refresh (a hot path reads it before calling `idf`)."""
        return self._cache

    def idf_floor(self, max_df: float) -> float:
        """The IDF of a term found in ``max_df`` of the documents."""
        return math.log((self.docs + 1) / (max_df * self.docs + 1)) + 1.0

    def _prune(self) -> None:
        keep = self.counts.most_common(self.max_terms * 3 // 4)
        self.counts = Counter(dict(keep))

    def to_dict(self) -> dict[str, Any]:
        return {"docs": self.docs, "max_terms": self.max_terms, "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> DocumentFrequencies:
        return cls(int(state["docs"]), Counter(state["counts"]), int(state.get("max_terms", 500_000)))


@dataclass(frozen=True, slots=True)
class VectorOptions:
    title_weight: float = 3.0  # a title lemma counts as this many body occurrences
    name_boost: float = 2.0  # weight multiplier of name lemmas
    body_terms: int = 150  # only the body's first lemmas count: the lead tells the event, the rest background
    top_terms: int = 12  # salient terms kept for indexing
    min_length: int = 2  # shorter lemmas (one letter, one digit) are ignored
    max_df: float = 0.3  # lemmas in more background documents than this share are ignored (stop words)
    min_docs: int = 1_000  # ... once the background has at least this many documents


class Vectorizer:
    """TF-IDF vectors over lemmas with sublinear term frequency; optionally learns IDF online."""

    def __init__(self, frequencies: DocumentFrequencies | None = None, options: VectorOptions | None = None,
                 learn: bool = True):
        self.frequencies = frequencies or DocumentFrequencies()
        self.options = options or VectorOptions()
        self.learn = learn

    def vector(self, text: TextLemmas) -> TextVector:
        if self.learn:
            self.frequencies.add(text.title + text.body)
        weights = self._weights(self._counts(text), text.names)
        terms = normalise(weights)
        title = normalise({t: weights[t] / (1.0 + math.log(self.options.title_weight))
                           for t in set(text.title) & weights.keys()})
        return TextVector(terms, title, top_terms(terms, self.options.top_terms))

    def _counts(self, text: TextLemmas) -> dict[str, float]:
        counts: dict[str, float] = dict(Counter(text.body[: self.options.body_terms]))
        for term in text.title:
            counts[term] = counts.get(term, 0.0) + self.options.title_weight
        return counts

    def _weights(self, counts: Mapping[str, float], names: frozenset[str]) -> Sparse:
        """Sublinear TF × IDF × name boost, without stop words (under the IDF floor) and short terms."""
        frequencies, boost, log, shortest = self.frequencies, self.options.name_boost, math.log, self.options.min_length
        floor = frequencies.idf_floor(self.options.max_df) if frequencies.docs >= self.options.min_docs else 0.0
        idf, cached = frequencies.idf, frequencies.cached()
        weights = {}
        for term, count in counts.items():
            weight = cached.get(term) or idf(term)
            if weight > floor and len(term) >= shortest:
                weights[term] = (1.0 + log(count)) * weight * (boost if term in names else 1.0)
        return weights


def normalise(vector: Mapping[str, float]) -> Sparse:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def top_terms(vector: Mapping[str, float], k: int) -> tuple[str, ...]:
    """The ``k`` terms of largest weight, strongest first."""
    return tuple(sorted(vector, key=vector.__getitem__, reverse=True)[:k])


def truncate(vector: Mapping[str, float], k: int) -> Sparse:
    """The ``k`` strongest weights of a vector (not renormalised)."""
    if len(vector) <= k:
        return dict(vector)
    return {t: vector[t] for t in top_terms(vector, k)}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two L2-normalised sparse vectors."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0
