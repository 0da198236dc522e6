"""Lemma features shared by the rubric and tag models.

An article becomes a bag of *terms*: content lemmas of its title and body (words of two or more
letters, digits and punctuation dropped, the body capped at `MAX_BODY_TERMS`), the title's lemmas
once more with a ``T:`` prefix (a title word says more than a body word), and ``E:`` + the name of
each entity.  `TermSpace` turns bags into sublinear TF-IDF vectors over a fixed vocabulary, the
same numbers as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``, and stores itself as plain
arrays (no pickle).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from . import analyze
from .records import Article, Entity

MAX_BODY_TERMS = 400
MAX_TEXT_CHARS = 4000
TITLE = "T:"
ENTITY = "E:"

_CONTENT = re.compile(r"^[^\W\d_]{2,}$")


def content(lemmas: Sequence[str]) -> list[str]:
    """Lemmas that are words of two or more letters."""
    # isalpha() is the common case of the pattern, tried first: same answer, a third of the time
    return [lemma for lemma in lemmas if (len(lemma) > 1 and lemma.isalpha()) or _CONTENT.match(lemma)]


def article_lemmas(article: Article, lemmas: Sequence[str] | None = None,
                   undated: bool = False) -> tuple[list[str], list[str]]:
    """(title lemmas, body lemmas); ``lemmas`` of ``article.text`` are reused when given.  ``undated``: without
    the dateline's words («ASTANA. KAZINFORM –» opens Kazinform's world news too: its «астана» is no topic)."""
    lang = article.lang or "ru"
    title = analyze.lemmas(article.title, lang) if article.title else []
    if lemmas is None:
        rest = "\n\n".join(part for part in (article.lead, article.body) if part)
        body = analyze.lemmas(rest[:MAX_TEXT_CHARS], lang)
    else:
        body = list(lemmas[len(title):])
    return title, (_undated(article, body, lang) if undated else body)


def _undated(article: Article, body: list[str], lang: str, within: int = 200) -> list[str]:
    from .gazetteer import dateline_text

    found = dateline_text("\n".join(part for part in (article.lead, article.body[:2000]) if part))
    words = analyze.lemmas(found, lang) if found else []
    for i in range(min(within, len(body) - len(words) + 1) if words else 0):
        if body[i:i + len(words)] == words:
            return body[:i] + body[i + len(words):]
    return body


def terms(title: Sequence[str], body: Sequence[str], entities: Sequence[Entity] = ()) -> list[str]:
    """The bag of terms of one article (see the module docstring)."""
    head = content(title)
    bag = head + content(body)[:MAX_BODY_TERMS] + [TITLE + lemma for lemma in head]
    return bag + [ENTITY + entity.name for entity in entities if entity.name]


def article_terms(article: Article, lemmas: Sequence[str] | None = None, undated: bool = False) -> list[str]:
    return terms(*article_lemmas(article, lemmas, undated), article.entities)


def display(term: str) -> str:
    """A term as an editor reads it: ``T:пенсия`` → ``пенсия (title)``."""
    if term.startswith(TITLE):
        return f"{term[len(TITLE):]} (title)"
    if term.startswith(ENTITY):
        return term[len(ENTITY):]
    return term


@dataclass(slots=True)
class TermSpace:
    """A fixed vocabulary with IDF weights: bags of terms → L2-normalised sublinear TF-IDF."""

    vocabulary: list[str]
    idf: np.ndarray
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {term: i for i, term in enumerate(self.vocabulary)}

    @classmethod
    def fit(cls, bags: Sequence[Sequence[str]], *, min_df: int = 2, max_terms: int = 50_000) -> TermSpace:
        df = Counter(term for bag in bags for term in set(bag))
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))[:max_terms]
        n = len(bags)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in kept], dtype=np.float32)
        return cls(kept, idf)

    def __len__(self) -> int:
        return len(self.vocabulary)

    def add(self, bag: Sequence[str], documents: int) -> int:
        """Add the bag's unknown terms (as seen in one of ``documents``); returns how many were new."""
        new = [t for t in dict.fromkeys(bag) if t not in self.index]
        for term in new:
            self.index[term] = len(self.vocabulary)
            self.vocabulary.append(term)
        idf = np.float32(math.log((1 + documents) / 2) + 1)
        self.idf = np.concatenate([self.idf, np.full(len(new), idf, dtype=np.float32)])
        return len(new)

    def vector(self, bag: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(indices, values) of one bag's TF-IDF vector; empty arrays when no term is known."""
        counts = Counter(i for i in map(self.index.get, bag) if i is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1 + np.log(tf)) * self.idf[idx]
        return idx, values / np.linalg.norm(values)

    def matrix(self, bags: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        rows = [self.vector(bag) for bag in bags]
        indptr = np.cumsum([0] + [len(idx) for idx, _ in rows])
        indices = np.concatenate([idx for idx, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
        data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, dtype=np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(bags), len(self)))

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}vocabulary": np.array(self.vocabulary, dtype=str), f"{prefix}idf": self.idf}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray] | np.lib.npyio.NpzFile, prefix: str) -> TermSpace:
        return cls([str(t) for t in arrays[f"{prefix}vocabulary"]], arrays[f"{prefix}idf"].astype(np.float32))
