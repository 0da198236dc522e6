"""Tags named in an article's own words: the archive's tag lexicon and the ranker over it.

Some outlets tag with keywords of the text («газпром», «молодежное яблоко», «дональд трамп»):
thousands of tags, most used once or twice, which no per-tag classifier can learn. `Lexicon`
keeps every tag the archive's editors used as a lemma sequence (hyphens dropped, so the text's
«Санкт-Петербург» finds the tag «санктпетербург»), with how many articles carry it, in how many
texts its words occur, and both counts over the last `Lexicon.window` tagged articles.

`Lexicon.find` locates the tags named in an article's title and first `MAX_LEMMAS` lemmas;
`features` describes each (in the title, first position, count, prior use, share of the texts
naming it that carry it, recent use, the tag classifiers' confidence when the tag is learned);
`Ranker` scores them with a conditional logit over those features and their pairwise products,
calibrated to a confidence (see `tag_ranking.fit_ranker`).  `rank` merges them with the
classifiers' confidences of tags the text does not name.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.special import expit

from . import analyze

MAX_LEMMAS = 700  # body lemmas searched for tags (about the first 4,000 characters)
TOP = 10  # the classifiers' top tags whose rank is a feature
FEATURES = ("log confidence", "learned tag", "in title", "log count", "first position", "log uses",
            "log share of texts naming it that carry it", "log inverse text frequency", "words",
            "log rank among the classifiers' top", "log recent uses", "count relative to the article's top",
            "log recent share", "log confidence below the article's best")
_EPS = 1e-4


@lru_cache(maxsize=100_000)
def key(tag: str) -> tuple[str, ...]:
    """A tag's lemmas, hyphens dropped: «Молодежное Яблоко» → (молодежный, яблоко)."""
    return normalise(analyze.lemmas(tag))


def normalise(lemmas: Iterable[str]) -> tuple[str, ...]:
    items = list(lemmas)  # one replace over the joined lemmas, not one per lemma
    return tuple("\x00".join(items).replace("-", "").split("\x00")) if items else ()


@dataclass(slots=True)
class Counts:
    """Per lexicon entry: tagged articles, texts naming it, both over the recent window; articles."""

    uses: np.ndarray
    seen: np.ndarray
    recent_uses: np.ndarray
    recent_seen: np.ndarray
    articles: int

    @classmethod
    def zeros(cls, size: int) -> Counts:
        def zeros() -> np.ndarray:
            return np.zeros(size, dtype=np.int32)

        return cls(zeros(), zeros(), zeros(), zeros(), 0)

    def grow(self, size: int) -> None:
        for name in ("uses", "seen", "recent_uses", "recent_seen"):
            values = getattr(self, name)
            setattr(self, name, np.concatenate([values, np.zeros(size - len(values), dtype=np.int32)]))


@dataclass(slots=True)
class Found:
    """The lexicon entries an article names: positions of each, title length, lemmas searched."""

    positions: dict[int, list[int]]
    title: int
    length: int


@dataclass(slots=True)
class Lexicon:
    """Every tag of the archive, by lemma sequence, with its counts (see the module docstring)."""

    keys: list[tuple[str, ...]]
    forms: list[str]  # each entry as the archive writes it (its most used spelling)
    vocab: np.ndarray  # the entry's column among the classifiers' tags, -1 if none
    counts: Counts
    window: int = 200
    recent: deque = field(default_factory=deque)  # (tag entries, named entries) of the last articles
    index: dict[tuple[str, ...], int] = field(default_factory=dict)
    starts: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for j, words in enumerate(self.keys):
            self._register(j, words)

    def _register(self, j: int, words: tuple[str, ...]) -> None:
        self.index[words] = j
        self.starts.setdefault(words[0], []).append(j)

    @classmethod
    def build(cls, tag_lists: Iterable[Sequence[str]], tags: Sequence[str], window: int = 200) -> Lexicon:
        """Entries for every tag in ``tag_lists`` (counts empty); ``tags``: the classifiers' columns."""
        uses: dict[str, int] = {}
        for tag in (t for tags_ in tag_lists for t in set(tags_)):
            uses[tag] = uses.get(tag, 0) + 1
        forms: dict[tuple[str, ...], str] = {}
        for tag in sorted(uses, key=lambda t: (-uses[t], t)):
            if words := key(tag):
                forms.setdefault(words, tag)
        lexicon = cls(list(forms), list(forms.values()), np.full(len(forms), -1), Counts.zeros(len(forms)), window)
        lexicon.link(tags)
        return lexicon

    def link(self, tags: Sequence[str]) -> None:
        """Point entries at the classifiers' columns ``tags`` with the same lemmas."""
        for column, tag in enumerate(tags):
            j = self.index.get(key(tag))
            if j is not None and (self.vocab[j] < 0 or self.forms[j] == tag):
                self.vocab[j] = column

    def __len__(self) -> int:
        return len(self.keys)

    def entries(self, tags: Iterable[str]) -> set[int]:
        return {j for j in map(self.index.get, map(key, tags)) if j is not None}

    def find(self, title: Sequence[str], body: Sequence[str]) -> Found:
        """Where each entry occurs in the title and the first `MAX_LEMMAS` body lemmas."""
        words = normalise(list(title) + list(body[:MAX_LEMMAS]))
        positions: dict[int, list[int]] = {}
        for i, word in enumerate(words):
            for j in self.starts.get(word, ()):
                size = len(self.keys[j])
                if words[i:i + size] == self.keys[j]:
                    positions.setdefault(j, []).append(i)
        return Found(positions, len(title), max(1, len(words)))

    def add(self, tags: Iterable[str]) -> set[int]:
        """Entries of ``tags``, new ones added; returns them."""
        out = set()
        for tag in tags:
            words = key(tag)
            if not words:
                continue
            if words not in self.index:
                self.keys.append(words)
                self.forms.append(tag)
                self.vocab = np.append(self.vocab, -1)
                self._register(len(self.keys) - 1, words)
            out.add(self.index[words])
        if len(self.counts.uses) < len(self):
            self.counts.grow(len(self))
        return out

    def count(self, tagged: set[int], named: Iterable[int]) -> None:
        """Count one more article: the entries it is tagged with and those its text names."""
        named = set(named)
        c = self.counts
        c.articles += 1
        for values, ids in ((c.uses, tagged), (c.seen, named), (c.recent_uses, tagged), (c.recent_seen, named)):
            values[list(ids)] += 1
        self.recent.append((sorted(tagged), sorted(named)))
        if len(self.recent) > self.window:
            old_tagged, old_named = self.recent.popleft()
            c.recent_uses[old_tagged] -= 1
            c.recent_seen[old_named] -= 1

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        c = self.counts
        return {f"{prefix}keys": np.array([" ".join(k) for k in self.keys], dtype=str),
                f"{prefix}forms": np.array(self.forms, dtype=str), f"{prefix}vocab": self.vocab,
                f"{prefix}counts": np.stack([c.uses, c.seen, c.recent_uses, c.recent_seen])}

    def head(self) -> dict[str, Any]:
        return {"articles": self.counts.articles, "window": self.window, "recent": list(self.recent)}

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str, head: dict[str, Any]) -> Lexicon:
        uses, seen, recent_uses, recent_seen = arrays[f"{prefix}counts"].astype(np.int32)
        counts = Counts(uses, seen, recent_uses, recent_seen, head["articles"])
        keys = [tuple(str(k).split(" ")) for k in arrays[f"{prefix}keys"]]
        recent = deque((list(t), list(n)) for t, n in head["recent"])
        return cls(keys, [str(f) for f in arrays[f"{prefix}forms"]], arrays[f"{prefix}vocab"].astype(np.int64),
                   counts, head["window"], recent)


@dataclass(frozen=True, slots=True)
class Leave:
    """One article's own entries, left out of the counts when a training article is described."""

    tagged: set[int] = field(default_factory=set)
    named: set[int] = field(default_factory=set)


def features(lexicon: Lexicon, found: Found, probs: np.ndarray, counts: Counts,
             leave: Leave = Leave()) -> tuple[np.ndarray, list[int]]:
    """(rows of `FEATURES`, their entries): each entry the article names that the counts know."""
    top = np.argsort(-probs)[:TOP] if len(probs) else np.zeros(0, dtype=np.int64)
    rank = {int(column): r for r, column in enumerate(top)}
    best = math.log(float(probs[top[0]]) + _EPS) if len(top) else math.log(_EPS)
    entries = [j for j in found.positions if counts.uses[j] - (j in leave.tagged) > 0]
    most = max((len(found.positions[j]) for j in entries), default=1)
    rows = [_row(lexicon, j, found, probs, counts, leave, rank, best, most) for j in entries]
    return np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES)), entries


def _row(lexicon: Lexicon, j: int, found: Found, probs: np.ndarray, counts: Counts, leave: Leave,
         rank: dict[int, int], best: float, most: int) -> list[float]:
    column = int(lexicon.vocab[j])
    logp = math.log(float(probs[column]) + _EPS) if 0 <= column < len(probs) else math.log(_EPS)
    where = found.positions[j]
    uses, seen = counts.uses[j] - (j in leave.tagged), counts.seen[j] - (j in leave.named)
    articles = counts.articles - bool(leave.tagged or leave.named)
    return [logp, float(column >= 0), float(where[0] < found.title), math.log1p(len(where)),
            where[0] / found.length, math.log1p(uses), math.log((uses + 0.5) / (seen + 1)),
            math.log((articles + 1) / (seen + 1)), len(lexicon.keys[j]), math.log1p(rank.get(column, TOP)),
            math.log1p(counts.recent_uses[j]), len(where) / most,
            math.log((counts.recent_uses[j] + 0.5) / (counts.recent_seen[j] + 1)), logp - best]


def expand(z: np.ndarray) -> np.ndarray:
    """Standardised features and their pairwise products (squares included)."""
    upper = np.triu_indices(z.shape[1])
    return np.hstack([z, (z[:, :, None] * z[:, None, :])[:, upper[0], upper[1]]])


@dataclass(slots=True)
class Ranker:
    """Scores of named tags: ``w · expand((x − mean) / scale)``; confidence ``sigmoid(a·score + b)``."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    platt: tuple[float, float] = (1.0, 0.0)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        return expand((rows - self.mean) / self.scale) @ self.weights

    def confidences(self, rows: np.ndarray) -> np.ndarray:
        a, b = self.platt
        return expit(a * self.scores(rows) + b)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}mean": self.mean, f"{prefix}scale": self.scale, f"{prefix}weights": self.weights,
                f"{prefix}platt": np.array(self.platt)}

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> Ranker:
        a, b = arrays[f"{prefix}platt"]
        return cls(arrays[f"{prefix}mean"], arrays[f"{prefix}scale"], arrays[f"{prefix}weights"], (float(a), float(b)))


def rank(lexicon: Lexicon, ranker: Ranker, found: Found, probs: np.ndarray,
         tags: Sequence[str], limit: int) -> list[tuple[str, float]]:
    """Candidates with their confidence, best first: the tags the text names (the ranker's
    confidence) and the classifiers' ``limit`` best tags it does not name (their own)."""
    rows, entries = features(lexicon, found, probs, lexicon.counts)
    named = dict(zip(entries, ranker.confidences(rows), strict=True))
    columns = {int(lexicon.vocab[j]) for j in named}
    unnamed = [int(c) for c in np.argsort(-probs)[:limit + len(columns)] if c not in columns][:limit]
    out = [(lexicon.forms[j], float(p)) for j, p in named.items()] + [(tags[c], float(probs[c])) for c in unnamed]
    return sorted(out, key=lambda pair: -pair[1])
