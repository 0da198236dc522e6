"""Exact and near-duplicate articles, found on arrival.

Exact copies share a hash of their normalised words (lower case, ё → е, punctuation dropped), so a
headline that differs only by punctuation or spacing is an exact copy.  Near copies — reprints, lightly
edited versions, the same item in two feeds — are found with MinHash over word shingles (``shingle``
words each), implemented here with numpy, and banded LSH: two articles whose shingle sets have an
estimated Jaccard similarity of at least ``threshold`` (or whose smaller set is mostly contained in the
larger one) are copies.

Copies form groups; the *original* of a group is its earliest published article (ties: the smaller id),
so it does not depend on which copy arrived first.  ``add`` returns the new article's original, and
``pop_changes`` reports earlier articles whose original changed (a late-arriving earlier copy, or two
groups joined by an article similar to both).

    index = DedupIndex()
    index.add(article)          # -> id of the article it copies, or None
    index.pop_changes()         # -> {article id: new duplicate_of (None: it is now an original)}
    index.to_state() / DedupIndex.from_state(state)

Memory is bounded: articles published more than ``window`` before the newest one, and the oldest
beyond ``max_items``, are forgotten.  Rebuilding the state is cheap: add the last ``window`` of the
archive in publication order.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import numpy as np

from newsdesk.errors import InputError
from newsdesk.records import Article

STATE_VERSION = 1
_WORD = re.compile(r"\w+", re.UNICODE)
_SHIFT = np.uint64(32)


@dataclass(frozen=True, slots=True)
class DedupOptions:
    shingle: int = 3  # words per shingle
    bands: int = 32  # LSH bands; bands × rows hash functions
    rows: int = 4
    threshold: float = 0.6  # estimated Jaccard similarity of shingle sets for a near copy
    containment: float = 0.85  # ... or this share of the smaller text's shingles found in the larger one
    min_shingles: int = 8  # shorter texts are only matched exactly
    window: timedelta | None = timedelta(days=7)  # forget articles published this long before the newest
    max_items: int = 200_000  # and never keep more than this many
    seed: int = 20240415

    @property
    def perms(self) -> int:
        return self.bands * self.rows


def words(text: str) -> list[str]:
    return [w.replace("ё", "е") for w in _WORD.findall(text.lower())]


def content_hash(tokens: list[str]) -> str:
    """Hash of normalised words (`words` of title, lead and body)."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


def shingles(tokens: list[str], size: int) -> np.ndarray:
    """32-bit hashes (as uint64) of the distinct ``size``-word shingles of a token list."""
    if len(tokens) < size:
        grams = [" ".join(tokens)] if tokens else []
    else:
        grams = [" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), np.uint64, len(grams)))


class MinHasher:
    """MinHash signatures with multiply-shift hash functions over 64-bit integers."""

    def __init__(self, perms: int, seed: int):
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**63, perms, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self.b = rng.integers(0, 2**63, perms, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        if not len(hashes):
            return np.full(len(self.a), np.iinfo(np.uint32).max, np.uint32)
        mixed = (hashes[:, None] * self.a[None, :] + self.b[None, :]) >> _SHIFT
        return mixed.min(axis=0).astype(np.uint32)


@dataclass(slots=True)
class _Entry:
    id: str
    at: float  # publication timestamp
    digest: str  # content hash
    size: int  # number of distinct shingles
    signature: np.ndarray | None  # None when too short for near-copy search


class DedupIndex:
    """Finds copies among recently published articles; see the module docstring."""

    def __init__(self, options: DedupOptions | None = None):
        self.options = options or DedupOptions()
        self._hasher = MinHasher(self.options.perms, self.options.seed)
        self._entries: dict[str, _Entry] = {}
        self._order: deque[str] = deque()  # arrival order, for eviction
        self._exact: dict[str, set[str]] = {}
        self._buckets: dict[int, list[str]] = {}
        self._original: dict[str, str] = {}  # article id -> its group's original (itself if original)
        self._groups: dict[str, set[str]] = {}  # original -> members (including itself)
        self._times: dict[str, float] = {}  # publication time of every article in a group
        self._newest = float("-inf")
        self._changes: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article: Article) -> str | None:
        """Index an article; return the id of the article it copies (its group's original) or None."""
        entry = self._entry(article)
        self._newest = max(self._newest, entry.at)
        self._evict()
        matches = self._matches(entry)
        self._insert(entry)
        original = self._join(entry, matches)
        self._evict()
        return None if original == entry.id else original

    def original_of(self, article_id: str) -> str | None:
        original = self._original.get(article_id)
        return None if original in (None, article_id) else original

    def pop_changes(self) -> dict[str, str | None]:
        """Articles whose original changed since the last call: ``{id: duplicate_of or None}``."""
        changes, self._changes = self._changes, {}
        return changes

    # finding matches

    def _entry(self, article: Article) -> _Entry:
        if not article.id:
            raise InputError("an article needs an id to be checked for copies", article.origin, "id")
        when = article.published_at or article.fetched_at
        at = when.timestamp() if when else self._newest
        tokens = words(article.text)
        digest = content_hash(tokens)
        hashes = shingles(tokens, self.options.shingle)
        near = len(hashes) >= self.options.min_shingles
        return _Entry(article.id, at, digest, len(hashes), self._hasher.signature(hashes) if near else None)

    def _matches(self, entry: _Entry) -> set[str]:
        found = {i for i in self._exact.get(entry.digest, ()) if i != entry.id}
        if entry.signature is not None:
            found |= {i for i in self._candidates(entry.signature) if i != entry.id and self._near(entry, i)}
        return found

    def _candidates(self, signature: np.ndarray) -> set[str]:
        found: set[str] = set()
        for key in self._band_keys(signature):
            found.update(self._buckets.get(key, ()))
        return found

    def _band_keys(self, signature: np.ndarray) -> list[int]:
        rows = self.options.rows
        return [hash((band, signature[band * rows:(band + 1) * rows].tobytes())) for band in
                range(self.options.bands)]

    def _near(self, entry: _Entry, other_id: str) -> bool:
        other = self._entries[other_id]
        if other.signature is None or entry.signature is None:
            return False
        jaccard = float(np.mean(entry.signature == other.signature))
        if jaccard >= self.options.threshold:
            return True
        shared = jaccard * (entry.size + other.size) / (1.0 + jaccard)
        return shared / min(entry.size, other.size) >= self.options.containment

    # groups

    def _insert(self, entry: _Entry) -> None:
        if entry.id in self._entries:
            self._order.remove(entry.id)
            self._forget(entry.id)
        self._entries[entry.id] = entry
        self._order.append(entry.id)
        self._exact.setdefault(entry.digest, set()).add(entry.id)
        if entry.signature is not None:
            for key in self._band_keys(entry.signature):
                self._buckets.setdefault(key, []).append(entry.id)

    def _join(self, entry: _Entry, matches: set[str]) -> str:
        self._times[entry.id] = entry.at
        originals = {self._original[m] for m in matches}
        members = {entry.id}.union(*(self._groups.pop(o) for o in originals))
        original = min(members, key=lambda i: (self._times[i], i))
        for member in members:
            if self._original.get(member) != original and member != entry.id:
                self._changes[member] = None if member == original else original
            self._original[member] = original
        self._groups[original] = members
        return original

    # memory bound

    def _evict(self) -> None:
        horizon = self._newest - self.options.window.total_seconds() if self.options.window else None
        while self._order and (len(self._entries) > self.options.max_items or
                               (horizon is not None and self._entries[self._order[0]].at < horizon)):
            self._forget(self._order.popleft())

    def _forget(self, article_id: str) -> None:
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        self._discard(self._exact, entry.digest, article_id)
        if entry.signature is not None:
            for key in self._band_keys(entry.signature):
                bucket = self._buckets[key]
                bucket.remove(article_id)
                if not bucket:
                    del self._buckets[key]
        self._leave_group(article_id)

    def _leave_group(self, article_id: str) -> None:
        original = self._original[article_id]
        group = self._groups[original]
        if all(m not in self._entries for m in group):
            del self._groups[original]
            for member in group:
                self._original.pop(member, None)
                self._times.pop(member, None)

    @staticmethod
    def _discard(index: dict[str, set[str]], key: str, value: str) -> None:
        values = index.get(key)
        if values is not None:
            values.discard(value)
            if not values:
                del index[key]

    # state

    def to_state(self) -> dict[str, Any]:
        """A JSON-able snapshot: options, the remembered articles and their groups."""
        entries = [[e.id, e.at, e.digest, e.size, _encode(e.signature)]
                   for e in (self._entries[i] for i in self._order)]
        return {"version": STATE_VERSION, "options": _options_state(self.options), "entries": entries,
                "original": dict(self._original), "times": dict(self._times)}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> DedupIndex:
        if state.get("version") != STATE_VERSION:
            raise InputError(f"dedup state version {state.get('version')!r}, expected {STATE_VERSION}; "
                             "rebuild it by adding the last window of articles", field="version")
        index = cls(_options_from_state(state["options"]))
        for article_id, at, digest, size, signature in state["entries"]:
            index._insert(_Entry(article_id, at, digest, size, _decode(signature)))
        index._newest = max((e.at for e in index._entries.values()), default=float("-inf"))
        index._original = dict(state["original"])
        index._times = dict(state["times"])
        for member, original in index._original.items():
            index._groups.setdefault(original, set()).add(member)
        return index


def _encode(signature: np.ndarray | None) -> str | None:
    return None if signature is None else base64.b64encode(signature.astype("<u4").tobytes()).decode("ascii")


def _decode(text: str | None) -> np.ndarray | None:
    return None if text is None else np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


def _options_state(options: DedupOptions) -> dict[str, Any]:
    state = asdict(options)
    state["window"] = options.window.total_seconds() if options.window else None
    return state


def _options_from_state(state: Mapping[str, Any]) -> DedupOptions:
    values = dict(state)
    values["window"] = timedelta(seconds=values["window"]) if values["window"] is not None else None
    return DedupOptions(**values)


def find_duplicates(articles: Iterable[Article], options: DedupOptions | None = None) -> dict[str, str]:
    """Batch form: ``{article id: original id}`` for every copy among ``articles``, in any order."""
    ordered = sorted(articles, key=lambda a: (a.published_at.timestamp() if a.published_at else 0.0, a.id or ""))
    index = DedupIndex(options)
    found = {a.id: index.add(a) for a in ordered}
    found.update(index.pop_changes())
    return {k: v for k, v in found.items() if k and v}
